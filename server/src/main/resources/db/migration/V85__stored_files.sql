-- The content-addressed file store: one row per distinct content, keyed by its SHA-256. The bytes
-- live under <data dir>/files/<first two hex>/<next two hex>/<sha256>; the row exists only while
-- the blob does (written after the blob is in place, deleted before the blob is removed).

create table stored_files (
    sha256          varchar(64)  primary key,                -- lower-case hex
    size            bigint       not null,
    name            varchar(255) not null,                   -- file name of the first upload
    content_type    varchar(255) not null,
    uploaded_by     varchar(100) not null,                   -- user name or agent:<id>
    uploaded_at     timestamp with time zone not null,
    constraint stored_files_size_ck check (size >= 0)
);

create index stored_files_uploaded_ix on stored_files (uploaded_at, sha256);
