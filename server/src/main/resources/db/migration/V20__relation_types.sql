-- Relation types, the direction in which each propagates impact, and the class pairs each allows.
--
-- impact_flow says whose failure hurts whom:
--   'to_source': the source depends on the target. When the target fails the source is impacted
--                (app runs_on server, server hosted_in rack, service depends_on app, server
--                connects_to switch).
--   'to_target': the target is made of / holds the source. When the source fails the target is
--                impacted (member_of: a failed member degrades its group; contains: a failed
--                container takes its contents with it).
-- "Downstream of X" follows that flow away from X (what breaks if X fails); "upstream of X"
-- follows it backwards (what X needs).
alter table relation_types add column impact_flow varchar(16) default 'to_source' not null;
alter table relation_types add constraint relation_types_flow_ck check (impact_flow in ('to_source', 'to_target'));

insert into relation_types (name, label, inverse_label, description, impact_flow) values
    ('runs_on',     'runs on',     'runs',         'Software on the host that executes it; the host failing stops it.', 'to_source'),
    ('hosted_in',   'hosted in',   'hosts',        'Physical placement: a device in a rack, a rack in a data centre.', 'to_source'),
    ('depends_on',  'depends on',  'is needed by', 'A service or application that needs another CI to work.', 'to_source'),
    ('connects_to', 'connects to', 'connects',     'A network link to a switch, router or firewall the source needs.', 'to_source'),
    ('member_of',   'member of',   'has member',   'Membership of a cluster or group; a failed member degrades the group.', 'to_target'),
    ('contains',    'contains',    'contained in', 'A container (chassis, enclosure) and what is inside it.', 'to_target');

-- '*' matches any class, built-in or user-defined.
insert into relation_rules (type, source_class, target_class) values
    ('runs_on', 'Application', 'Server'),
    ('runs_on', 'Application', 'VirtualMachine'),
    ('runs_on', 'Database', 'Server'),
    ('runs_on', 'Database', 'VirtualMachine'),
    ('runs_on', 'VirtualMachine', 'Server'),
    ('hosted_in', 'Server', 'Rack'),
    ('hosted_in', 'NetworkDevice', 'Rack'),
    ('hosted_in', 'StorageDevice', 'Rack'),
    ('hosted_in', 'Rack', 'Datacenter'),
    ('depends_on', 'BusinessService', '*'),
    ('depends_on', 'Application', 'Application'),
    ('depends_on', 'Application', 'Database'),
    ('depends_on', 'Application', 'StorageDevice'),
    ('depends_on', 'Database', 'StorageDevice'),
    ('depends_on', 'Database', 'Database'),
    ('connects_to', 'Server', 'NetworkDevice'),
    ('connects_to', 'StorageDevice', 'NetworkDevice'),
    ('connects_to', 'NetworkDevice', 'NetworkDevice'),
    ('connects_to', 'VirtualMachine', 'NetworkDevice'),
    ('member_of', '*', '*'),
    ('contains', '*', '*');

-- The impact BFS asks, per level, for relations whose target (or source) is in the frontier;
-- these composite indexes answer that from the index alone.
create index ci_relations_target_type_ix on ci_relations (target_id, type, source_id);
create index ci_relations_source_type_ix on ci_relations (source_id, type, target_id);
