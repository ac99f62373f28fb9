-- Monitoring: which metrics-store series belong to which CI. The samples themselves live in the
-- metrics-store files, not here. series_id is the store's compact id; series the canonical
-- Prometheus-notation key (name and sorted labels, ci included).
create table monitoring_series (
    series_id  integer       not null primary key,
    ci_id      bigint        not null,
    name       varchar(200)  not null,
    series     varchar(8000) not null
);
create index monitoring_series_ci_name on monitoring_series (ci_id, name);
