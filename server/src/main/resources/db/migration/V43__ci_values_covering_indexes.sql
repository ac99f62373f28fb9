-- Attribute filters ask "which CIs have attribute <name> in this range/equal to this value" and
-- join the answer to cis by ci_id. With ci_id as the last key column the index alone answers
-- (an index-only scan: no table rows read), which is what makes counting up to 10,000 matches of
-- a range filter cheap. These replace the (name, value) indexes of V10.
drop index ci_values_text_ix;
drop index ci_values_num_ix;
drop index ci_values_time_ix;
create index ci_values_text_ix on ci_values (name, text_value, ci_id);
create index ci_values_num_ix on ci_values (name, num_value, ci_id);
create index ci_values_time_ix on ci_values (name, time_value, ci_id);
