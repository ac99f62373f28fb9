-- Each host's latest step in a run is kept as a flag rather than found with a correlated
-- max(step) per row: the run page, its counts and its result groups read a 20,000-host run
-- without a 20,000 x 20,000 scan. A host's row stops being the latest when the host goes on to
-- the next step (RunEngine creates that step's rows in the same transaction).
alter table job_host_tasks add column latest boolean default true not null;
update job_host_tasks set latest = false
where exists (select 1 from job_host_tasks u
              where u.run_id = job_host_tasks.run_id and u.ci_id = job_host_tasks.ci_id and u.step > job_host_tasks.step);

-- "Is anything of this step pending / in flight?" after every host's result: answered from the
-- index instead of counting the step's rows.
create index job_host_tasks_step_state_ix on job_host_tasks (run_id, step, state, batch);

-- The run page's host list, one page at a time in target order.
create index job_host_tasks_latest_ix on job_host_tasks (run_id, latest, position, ci_id);
