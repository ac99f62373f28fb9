-- Append-only, hash-chained audit log. Each row's hash covers its own fields and the previous
-- row's hash, so an edited, inserted or deleted row breaks the chain from that point on.
create table audit_records (
    id              bigint       not null primary key,
    occurred_at     timestamp with time zone not null,
    actor           varchar(100) not null,
    action          varchar(100) not null,
    target_type     varchar(50),
    target_id       varchar(100),
    summary         text,
    request_id      varchar(64),
    source_ip       varchar(64),
    prev_hash       char(64)     not null,
    hash            char(64)     not null
);
create index audit_records_target_ix on audit_records (target_type, target_id);
create index audit_records_occurred_ix on audit_records (occurred_at);

-- One row: the head of the chain. Appenders lock it (select ... for update), so ids and hashes
-- are assigned in one global order even with several server nodes on one PostgreSQL.
create table audit_chain_head (
    singleton       integer      not null primary key,
    last_id         bigint       not null,
    last_hash       char(64)     not null
);
insert into audit_chain_head (singleton, last_id, last_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
