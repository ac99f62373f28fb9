-- Default dangerous-command rules, modelled on BlueKing Job's high-risk command interception. Patterns are
-- matched against each normalised simple command (wrappers such as sudo, env, nohup and paths such as /bin/
-- removed, quotes removed, whitespace collapsed); see docs/jobs-policy.md.

insert into job_policy_rules (name, language, pattern, verdict, description, enabled, builtin, updated_at) values
('Recursive delete of the root directory', 'bash',
 '^rm(?=\s)(?=.*\s(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\s|$)).*\s/+\.?/*\*?(?:\s|$)',
 'block', 'rm -r / , rm -rf /* , rm --no-preserve-root -rf / and the same with flags in any order', true, true, current_timestamp),
('Recursive delete of a system directory', 'bash',
 '^rm(?=\s)(?=.*\s(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\s|$)).*\s(?:~|\$HOME|/+(?:bin|boot|dev|etc|home|lib|lib64|opt|proc|root|sbin|srv|sys|usr|var))/*\*?(?:\s|$)',
 'require_approval', 'rm -rf /etc, rm -rf /usr/* , rm -rf ~ ; deeper paths such as /var/tmp/x are allowed', true, true, current_timestamp),
('Make a file system', 'bash',
 '^(?:mkfs(?:\.[\w.]+)?|mke2fs|mkswap|wipefs)(?:\s|$)',
 'block', 'mkfs, mkfs.ext4, mke2fs, mkswap, wipefs', true, true, current_timestamp),
('dd onto a block device', 'bash',
 '^dd\s(?:.*\s)?of=/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|md|dm-|mapper/|loop)',
 'block', 'dd ... of=/dev/sda; reading from a device (if=/dev/sda) is allowed', true, true, current_timestamp),
('Redirect onto a block device', 'bash',
 '>\s*/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|disk|md|dm-)',
 'block', '> /dev/sda, cat image >/dev/nvme0n1', true, true, current_timestamp),
('Fork bomb', 'bash',
 '(?<![\w:])([\w:]{1,64})\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&\s*\}\s*;\s*\1',
 'block', ':(){ :|:& };: and named variants; matched on the whole script', true, true, current_timestamp),
('Recursive permission change of the root directory', 'bash',
 '^ch(?:mod|own|grp)(?=\s)(?=.*\s(?:-[a-zA-Z]*R[a-zA-Z]*|--recursive)(?:\s|$)).*\s/+\.?/*\*?(?:\s|$)',
 'block', 'chmod -R 777 /, chown -R nobody /', true, true, current_timestamp),
('Shut down or restart the host', 'any',
 '(?i)^(?:shutdown|reboot|halt|poweroff|(?:tel)?init\s+[06]|systemctl\s+(?:reboot|poweroff|halt|kexec)|stop-computer|restart-computer)(?:\s|$)',
 'require_approval', 'shutdown, reboot, halt, poweroff, init 0|6, systemctl reboot, Stop-Computer, Restart-Computer', true, true, current_timestamp),
('Remove-Item -Recurse on a drive root', 'powershell',
 '(?i)^(?:remove-item|rm|ri|del|erase|rmdir|rd)(?=\s)(?=.*\s-r[a-z]*(?:\s|$)).*\s(?:-(?:literal)?path\s+)?(?:[a-z]:|\$env:systemdrive|\$env:systemroot)\\?\*?(?:\s|$)',
 'block', 'Remove-Item -Recurse -Force C:\ and its aliases (rm, ri, del, rd)', true, true, current_timestamp),
('Format or wipe a volume', 'powershell',
 '(?i)^(?:format-volume|format-disk|clear-disk|initialize-disk|remove-partition|format\s+[a-z]:)(?:\s|$)',
 'block', 'Format-Volume, Clear-Disk, Initialize-Disk, Remove-Partition, format C:', true, true, current_timestamp),
('shutil.rmtree on the root directory', 'python',
 'shutil\.rmtree\(\s*(?:path\s*=\s*)?r?[''"](?:/+|[a-zA-Z]:\\*)[''"]',
 'block', 'shutil.rmtree("/") and shutil.rmtree("C:\\")', true, true, current_timestamp);

insert into job_policy_rules (name, language, pattern, verdict, ci_field, ci_value, description, enabled, builtin, updated_at) values
('Shut down or restart a production host', 'any',
 '(?i)^(?:shutdown|reboot|halt|poweroff|(?:tel)?init\s+[06]|systemctl\s+(?:reboot|poweroff|halt|kexec)|stop-computer|restart-computer)(?:\s|$)',
 'block', 'env', 'prod', 'Restarts of hosts whose env attribute is prod go through a change, not a job', true, true, current_timestamp);
