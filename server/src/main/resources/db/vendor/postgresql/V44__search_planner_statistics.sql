-- PostgreSQL only. Two things that keep CI list/filter queries on cheap plans at 100,000 CIs:
--
-- 1. Live CIs of a class in a state, by id, from the index alone: the other side of the join
--    that counts attribute-filter matches (an index-only hash join instead of reading rows).
--    Partial indexes are PostgreSQL syntax, hence this location.
-- 2. Statistics on (name, value) pairs of ci_values. Per-column statistics mix every attribute's
--    numbers into one histogram, so "cpu_count >= 32" was estimated at a fifth of its real
--    matches; the planner then expected a long walk for the first page and chose a parallel plan
--    whose worker start-up alone cost more than the right plan (a short index walk by name).
create index if not exists cis_live_class_state_ix on cis (class_id, state, id) where retired_at is null;
create statistics if not exists ci_values_name_num_st (mcv) on name, num_value from ci_values;
create statistics if not exists ci_values_name_time_st (mcv) on name, time_value from ci_values;
analyze ci_values;
