package io.opsbase.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import io.opsbase.cmdb.ChangeContext;
import io.opsbase.cmdb.CiService;
import io.opsbase.cmdb.CreateCi;
import io.opsbase.jobs.schedule.ScheduleTestConfiguration;
import io.opsbase.testing.TestUsers;

/**
 * Each seeded rule, as migrated into the real database (H2, or PostgreSQL with {@code -Dopsbase.test.db=postgres}),
 * against commands it must catch and near misses it must let through.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "opsbase.jobs.schedule-poll=PT1H")
@Import({TestUsers.class, ScheduleTestConfiguration.class})
class DefaultPolicyRulesTest {

    @Autowired
    CommandPolicy policy;

    @Autowired
    CiService cis;

    PolicyDecision check(String language, String script, List<Long> targets) {
        return policy.evaluate(new PolicyRequest(language, script, targets, "tester"));
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiterString = " ¦ ", quoteCharacter = '`', textBlock = """
            bash       ¦ rm -rf / ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ rm -rf /* ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ rm -fr // ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ rm -r -f --no-preserve-root / ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ rm --no-preserve-root --force --recursive / ¦ BLOCK ¦ Recursive delete of the root directory
            sh         ¦ sudo /bin/rm -Rf '/' ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ cd /tmp && rm -rf / tmp ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ bash -c 'rm -rf /' ¦ BLOCK ¦ Recursive delete of the root directory
            python     ¦ import os; os.system('rm -rf /') ¦ BLOCK ¦ Recursive delete of the root directory
            bash       ¦ rm -rf /etc ¦ REQUIRE_APPROVAL ¦ Recursive delete of a system directory
            bash       ¦ rm -rf ~ ¦ REQUIRE_APPROVAL ¦ Recursive delete of a system directory
            bash       ¦ mkfs.ext4 /dev/sdb1 ¦ BLOCK ¦ Make a file system
            bash       ¦ mkfs -t xfs /dev/vdb ¦ BLOCK ¦ Make a file system
            bash       ¦ dd if=/dev/zero of=/dev/sda bs=1M ¦ BLOCK ¦ dd onto a block device
            bash       ¦ dd of=/dev/nvme0n1 if=image.raw ¦ BLOCK ¦ dd onto a block device
            bash       ¦ cat image > /dev/sda ¦ BLOCK ¦ Redirect onto a block device
            bash       ¦ :(){ :|:& };: ¦ BLOCK ¦ Fork bomb
            bash       ¦ bomb() { bomb | bomb & }; bomb ¦ BLOCK ¦ Fork bomb
            bash       ¦ chmod -R 777 / ¦ BLOCK ¦ Recursive permission change of the root directory
            bash       ¦ chown -R nobody:nobody /* ¦ BLOCK ¦ Recursive permission change of the root directory
            bash       ¦ shutdown -h now ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ reboot ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ halt -p ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ poweroff ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ init 0 ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ init 6 ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            bash       ¦ systemctl reboot ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            powershell ¦ Stop-Computer -Force ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            powershell ¦ restart-computer ¦ REQUIRE_APPROVAL ¦ Shut down or restart the host
            powershell ¦ Remove-Item -Recurse -Force C:\\ ¦ BLOCK ¦ Remove-Item -Recurse on a drive root
            powershell ¦ rm -r 'C:\\*' ¦ BLOCK ¦ Remove-Item -Recurse on a drive root
            powershell ¦ Remove-Item -Path $env:SystemDrive\\ -Recurse ¦ BLOCK ¦ Remove-Item -Recurse on a drive root
            powershell ¦ Format-Volume -DriveLetter D ¦ BLOCK ¦ Format or wipe a volume
            powershell ¦ Clear-Disk -Number 1 -RemoveData ¦ BLOCK ¦ Format or wipe a volume
            python     ¦ import shutil; shutil.rmtree('/') ¦ BLOCK ¦ shutil.rmtree on the root directory
            """)
    void catchesDangerousCommands(String language, String script, Verdict verdict, String rule) {
        PolicyDecision d = check(language, script, List.of());
        assertThat(d.verdict()).isEqualTo(verdict);
        assertThat(d.matches()).extracting(PolicyMatch::ruleName).contains(rule);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiterString = " ¦ ", quoteCharacter = '`', textBlock = """
            bash       ¦ rm -rf /tmp/x
            bash       ¦ rm -rf /var/tmp/build
            bash       ¦ rm -f /etc/motd.bak
            bash       ¦ rm /
            bash       ¦ echo "rm -rf /"
            bash       ¦ # rm -rf / is what we never do
            bash       ¦ grep -r mkfs /var/log
            bash       ¦ dd if=/dev/sda of=/tmp/mbr.img bs=512 count=1
            bash       ¦ echo hi > /dev/null
            bash       ¦ chmod -R 755 /opt/app
            bash       ¦ chmod 755 /
            bash       ¦ systemctl restart nginx
            bash       ¦ echo shutdown
            bash       ¦ init_db --reset
            powershell ¦ Remove-Item -Recurse C:\\Temp\\build
            powershell ¦ Get-Volume
            powershell ¦ Restart-Service spooler
            python     ¦ print('reboot')
            python     ¦ import shutil; shutil.rmtree('/tmp/x')
            """)
    void allowsNearMisses(String language, String script) {
        PolicyDecision d = check(language, script, List.of());
        assertThat(d.matches()).isEmpty();
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void blocksARebootOnlyWhenATargetIsInProduction() {
        long prod = cis.create(new CreateCi("Server", "prod-" + UUID.randomUUID(), Map.of("env", "prod"), "ops", List.of(), null),
                ChangeContext.api("tester", null)).id();
        long dev = cis.create(new CreateCi("Server", "dev-" + UUID.randomUUID(), Map.of("env", "dev"), "ops", List.of(), null),
                ChangeContext.api("tester", null)).id();

        assertThat(check("bash", "sudo reboot", List.of(dev)).verdict()).isEqualTo(Verdict.REQUIRE_APPROVAL);
        PolicyDecision onProd = check("bash", "sudo reboot", List.of(dev, prod));
        assertThat(onProd.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(onProd.matches()).extracting(PolicyMatch::ruleName)
                .containsExactlyInAnyOrder("Shut down or restart the host", "Shut down or restart a production host");
    }

    @Test
    void anUnknownTargetSatisfiesNoCondition() {
        assertThat(check("bash", "reboot", List.of(Long.MAX_VALUE)).verdict()).isEqualTo(Verdict.REQUIRE_APPROVAL);
    }

    @Test
    void aLongHarmlessLineStaysWithinEveryRulesBudget() {
        // A rule that backtracked quadratically here would run out of budget and fail closed: a false block.
        PolicyDecision d = check("bash", "echo " + "a".repeat(65_536) + " 'x:y' " + "b(".repeat(10_000), List.of());
        assertThat(d.matches()).isEmpty();
    }

    @Test
    void aScriptTooLargeToInspectNeedsApproval() {
        PolicyDecision d = check("bash", "x".repeat(CommandPolicy.MAX_SCRIPT_CHARS + 1), List.of());
        assertThat(d.verdict()).isEqualTo(Verdict.REQUIRE_APPROVAL);
        assertThat(d.matches()).singleElement().extracting(PolicyMatch::ruleId).isEqualTo(0L);
    }
}
