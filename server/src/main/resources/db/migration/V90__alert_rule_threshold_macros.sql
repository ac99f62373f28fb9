-- Thresholds from macros: a rule may take its threshold and recovery threshold from a macro such
-- as {$CPU_HIGH}, resolved per host (the host's own macros first, then the template chain). The
-- numeric columns stay the default used where no macro value is defined.
alter table alert_rules add column threshold_macro varchar(100);
alter table alert_rules add column recovery_macro varchar(100);
