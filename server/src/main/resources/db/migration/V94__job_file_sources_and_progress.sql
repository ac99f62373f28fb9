-- A file step "from one host to the others": before the step's hosts get their tasks, the source
-- host's agent uploads the file to the file store. One row per run and step records that upload:
-- uploading (the agent task is out), stored (sha256 and size known; the targets download it), or
-- failed (message says why; the run failed with it).
create table job_file_sources (
    run_id          bigint       not null references job_runs (id),
    step            integer      not null,
    ci_id           bigint       not null,
    path            varchar(4000) not null,
    state           varchar(16)  not null,
    agent_id        bigint,
    agent_task_id   bigint,
    sha256          varchar(64),
    size            bigint,
    message         varchar(2000),
    started_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    deadline_at     timestamp with time zone,              -- not reported by then: failed as lost
    constraint job_file_sources_pk primary key (run_id, step)
);
create index job_file_sources_agent_task_ix on job_file_sources (agent_task_id);
create index job_file_sources_sha256_ix on job_file_sources (sha256);

-- The latest transfer progress an agent reported for a host's file task: bytes received of the size.
alter table job_host_tasks add column progress_bytes bigint;
alter table job_host_tasks add column progress_total bigint;
