-- Built-in CMDB classes with typed attributes and their lifecycles, history versions, and the
-- indexes keyset pagination needs. Portable SQL (H2 PostgreSQL mode and PostgreSQL).

-- The CI version a history row produced (null for rows that do not change the CI document, such
-- as components and relations): lets GET /cis/{id}?at= answer the version the CI had then.
alter table ci_history add column ci_version integer;

-- Keyset pagination: every sort order is (key, id).
create index cis_name_id_ix on cis (name, id);
create index cis_updated_id_ix on cis (updated_at, id);
create index cis_created_id_ix on cis (created_at, id);
create index cis_class_name_ix on cis (class_id, name, id);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('Datacenter', 'Data centre', 'A building or room that houses racks.', true, false, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'Datacenter'), 'code', 'Site code', 'string', true, true, '[A-Z0-9-]{2,16}', null, null, null, 0),
    ((select id from cmdb_classes where name = 'Datacenter'), 'address', 'Address', 'text', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'Datacenter'), 'city', 'City', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'Datacenter'), 'country', 'Country', 'string', false, false, '[A-Z]{2}', null, null, null, 3),
    ((select id from cmdb_classes where name = 'Datacenter'), 'tier', 'Tier', 'enum', false, false, null, null, '["I","II","III","IV"]', null, 4),
    ((select id from cmdb_classes where name = 'Datacenter'), 'contact', 'Site contact', 'string', false, false, null, null, null, null, 5);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('Rack', 'Rack', 'A rack in a data centre.', true, false, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'Rack'), 'datacenter', 'Data centre', 'reference', false, false, null, null, null, 'Datacenter', 0),
    ((select id from cmdb_classes where name = 'Rack'), 'row', 'Row', 'string', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'Rack'), 'position', 'Position', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'Rack'), 'height_u', 'Height (U)', 'integer', false, false, null, '42', null, null, 3),
    ((select id from cmdb_classes where name = 'Rack'), 'power_kw', 'Power budget (kW)', 'decimal', false, false, null, null, null, null, 4);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('Server', 'Server', 'A physical server.', true, true, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'Server'), 'hostname', 'Hostname', 'string', false, false, '[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*', null, null, null, 0),
    ((select id from cmdb_classes where name = 'Server'), 'serial_number', 'Serial number', 'string', false, true, '[A-Za-z0-9][A-Za-z0-9._/-]{0,99}', null, null, null, 1),
    ((select id from cmdb_classes where name = 'Server'), 'manufacturer', 'Manufacturer', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'Server'), 'model', 'Model', 'string', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'Server'), 'ip_address', 'IP address', 'ip', false, false, null, null, null, null, 4),
    ((select id from cmdb_classes where name = 'Server'), 'mac_address', 'MAC address', 'mac', false, false, null, null, null, null, 5),
    ((select id from cmdb_classes where name = 'Server'), 'smbios_uuid', 'SMBIOS UUID', 'string', false, false, null, null, null, null, 6),
    ((select id from cmdb_classes where name = 'Server'), 'cpu_count', 'CPU cores', 'integer', false, false, null, null, null, null, 7),
    ((select id from cmdb_classes where name = 'Server'), 'memory_gb', 'Memory (GB)', 'decimal', false, false, null, null, null, null, 8),
    ((select id from cmdb_classes where name = 'Server'), 'os', 'Operating system', 'string', false, false, null, null, null, null, 9),
    ((select id from cmdb_classes where name = 'Server'), 'os_version', 'OS version', 'string', false, false, null, null, null, null, 10),
    ((select id from cmdb_classes where name = 'Server'), 'env', 'Environment', 'enum', false, false, null, '"prod"', '["prod","staging","dev","test"]', null, 11),
    ((select id from cmdb_classes where name = 'Server'), 'rack', 'Rack', 'reference', false, false, null, null, null, 'Rack', 12),
    ((select id from cmdb_classes where name = 'Server'), 'rack_unit', 'Rack unit', 'integer', false, false, null, null, null, null, 13),
    ((select id from cmdb_classes where name = 'Server'), 'purchase_date', 'Purchase date', 'date', false, false, null, null, null, null, 14),
    ((select id from cmdb_classes where name = 'Server'), 'warranty_end', 'Warranty end', 'date', false, false, null, null, null, null, 15);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('VirtualMachine', 'Virtual machine', 'A virtual machine or cloud instance.', true, false, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'hostname', 'Hostname', 'string', false, false, '[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*', null, null, null, 0),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'ip_address', 'IP address', 'ip', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'mac_address', 'MAC address', 'mac', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'vcpu_count', 'vCPUs', 'integer', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'memory_gb', 'Memory (GB)', 'decimal', false, false, null, null, null, null, 4),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'os', 'Operating system', 'string', false, false, null, null, null, null, 5),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'os_version', 'OS version', 'string', false, false, null, null, null, null, 6),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'env', 'Environment', 'enum', false, false, null, '"prod"', '["prod","staging","dev","test"]', null, 7),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'hypervisor', 'Hypervisor / cloud', 'string', false, false, null, null, null, null, 8),
    ((select id from cmdb_classes where name = 'VirtualMachine'), 'instance_id', 'Instance id', 'string', false, true, null, null, null, null, 9);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('NetworkDevice', 'Network device', 'A switch, router, firewall, load balancer or access point.', true, true, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'hostname', 'Hostname', 'string', false, false, '[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*', null, null, null, 0),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'serial_number', 'Serial number', 'string', false, true, '[A-Za-z0-9][A-Za-z0-9._/-]{0,99}', null, null, null, 1),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'manufacturer', 'Manufacturer', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'model', 'Model', 'string', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'management_ip', 'Management IP', 'ip', false, false, null, null, null, null, 4),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'mac_address', 'MAC address', 'mac', false, false, null, null, null, null, 5),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'device_role', 'Role', 'enum', false, false, null, null, '["switch","router","firewall","load_balancer","access_point"]', null, 6),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'port_count', 'Ports', 'integer', false, false, null, null, null, null, 7),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'firmware_version', 'Firmware', 'string', false, false, null, null, null, null, 8),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'rack', 'Rack', 'reference', false, false, null, null, null, 'Rack', 9),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'rack_unit', 'Rack unit', 'integer', false, false, null, null, null, null, 10),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'purchase_date', 'Purchase date', 'date', false, false, null, null, null, null, 11),
    ((select id from cmdb_classes where name = 'NetworkDevice'), 'warranty_end', 'Warranty end', 'date', false, false, null, null, null, null, 12);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('StorageDevice', 'Storage device', 'A SAN, NAS or storage array.', true, true, '{"initial":"planned","states":["planned","in_stock","deployed","in_use","maintenance","offline","retired","disposed"],"transitions":{"planned":["in_stock"],"in_stock":["deployed","planned"],"deployed":["in_use","in_stock"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["disposed","offline"],"disposed":[]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'StorageDevice'), 'hostname', 'Hostname', 'string', false, false, '[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*', null, null, null, 0),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'serial_number', 'Serial number', 'string', false, true, '[A-Za-z0-9][A-Za-z0-9._/-]{0,99}', null, null, null, 1),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'manufacturer', 'Manufacturer', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'model', 'Model', 'string', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'management_ip', 'Management IP', 'ip', false, false, null, null, null, null, 4),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'capacity_tb', 'Capacity (TB)', 'decimal', false, false, null, null, null, null, 5),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'storage_type', 'Type', 'enum', false, false, null, null, '["san","nas","das","object"]', null, 6),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'rack', 'Rack', 'reference', false, false, null, null, null, 'Rack', 7),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'rack_unit', 'Rack unit', 'integer', false, false, null, null, null, null, 8),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'purchase_date', 'Purchase date', 'date', false, false, null, null, null, null, 9),
    ((select id from cmdb_classes where name = 'StorageDevice'), 'warranty_end', 'Warranty end', 'date', false, false, null, null, null, null, 10);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('Application', 'Application', 'A deployed piece of software.', true, false, '{"initial":"planned","states":["planned","deployed","in_use","maintenance","offline","retired"],"transitions":{"planned":["deployed"],"deployed":["in_use","planned"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["offline"]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'Application'), 'version', 'Version', 'string', false, false, null, null, null, null, 0),
    ((select id from cmdb_classes where name = 'Application'), 'url', 'URL', 'url', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'Application'), 'repository', 'Source repository', 'url', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'Application'), 'vendor', 'Vendor', 'string', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'Application'), 'env', 'Environment', 'enum', false, false, null, '"prod"', '["prod","staging","dev","test"]', null, 4),
    ((select id from cmdb_classes where name = 'Application'), 'criticality', 'Criticality', 'enum', false, false, null, '"medium"', '["low","medium","high","critical"]', null, 5);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('Database', 'Database', 'A database instance or cluster.', true, false, '{"initial":"planned","states":["planned","deployed","in_use","maintenance","offline","retired"],"transitions":{"planned":["deployed"],"deployed":["in_use","planned"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["offline"]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'Database'), 'engine', 'Engine', 'enum', true, false, null, null, '["postgresql","mysql","mariadb","oracle","sqlserver","mongodb","redis","other"]', null, 0),
    ((select id from cmdb_classes where name = 'Database'), 'version', 'Version', 'string', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'Database'), 'host', 'Host', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'Database'), 'port', 'Port', 'integer', false, false, null, null, null, null, 3),
    ((select id from cmdb_classes where name = 'Database'), 'size_gb', 'Size (GB)', 'decimal', false, false, null, null, null, null, 4),
    ((select id from cmdb_classes where name = 'Database'), 'env', 'Environment', 'enum', false, false, null, '"prod"', '["prod","staging","dev","test"]', null, 5);

insert into cmdb_classes (name, label, description, builtin, hardware, lifecycle, version, created_at, updated_at)
values ('BusinessService', 'Business service', 'A service the business depends on, delivered by applications.', true, false, '{"initial":"planned","states":["planned","deployed","in_use","maintenance","offline","retired"],"transitions":{"planned":["deployed"],"deployed":["in_use","planned"],"in_use":["maintenance","offline"],"maintenance":["in_use","offline"],"offline":["in_use","retired"],"retired":["offline"]}}', 1, current_timestamp, current_timestamp);
insert into cmdb_attributes (class_id, name, label, type, required, unique_in_class, pattern, default_value, enum_values, ref_class, position) values
    ((select id from cmdb_classes where name = 'BusinessService'), 'criticality', 'Criticality', 'enum', false, false, null, '"high"', '["low","medium","high","critical"]', null, 0),
    ((select id from cmdb_classes where name = 'BusinessService'), 'service_owner', 'Service owner', 'string', false, false, null, null, null, null, 1),
    ((select id from cmdb_classes where name = 'BusinessService'), 'sla', 'SLA', 'string', false, false, null, null, null, null, 2),
    ((select id from cmdb_classes where name = 'BusinessService'), 'support_hours', 'Support hours', 'string', false, false, null, null, null, null, 3);
