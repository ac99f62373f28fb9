-- PostgreSQL only (spring.flyway.locations adds classpath:db/vendor/{vendor}).
-- Free-text search is a substring match on cis.search_text (LIKE '%term%'). A trigram GIN index
-- answers it without reading all 100,000 rows: a few hundred candidates, rechecked. pg_trgm is a
-- trusted extension (PostgreSQL 13+), so the database owner may create it without superuser.
-- H2 has no equivalent and scans search_text; see db/vendor/h2/README.md.
create extension if not exists pg_trgm;
create index if not exists cis_search_text_trgm_ix on cis using gin (search_text gin_trgm_ops);
