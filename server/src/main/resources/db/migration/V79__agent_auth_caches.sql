-- Agent request authentication without a database round trip per request (issue 5).
--
-- Nonces are checked in each node's memory and written here in batches every second
-- (NonceLedger). expires_at is the request's own timestamp plus the signature window: the moment
-- the nonce stops mattering, the same on every node. node says which server process wrote the
-- row, so each node reads only the other nodes' nonces back into its memory.
alter table agent_nonces add column expires_at timestamp with time zone;
alter table agent_nonces add column node varchar(36);

-- When an agent's credentials last changed (revoked, or given a new secret). Nodes cache
-- decrypted secrets (AgentCredentialCache) and drop an agent's entry when this moves.
alter table agents add column credentials_changed_at timestamp with time zone;
create index agents_credentials_changed_ix on agents (credentials_changed_at);
