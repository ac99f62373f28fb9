package io.opsbase.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.opsbase.jobs.policy.ScriptNormaliser.Command;

/** How scripts become the commands rules see. */
class ScriptNormaliserTest {

    static List<String> shell(String script) {
        return ScriptNormaliser.normalise(ScriptLanguage.BASH, script).commands().stream().map(Command::text).toList();
    }

    @Test
    void collapsesWhitespaceAndJoinsLineContinuations() {
        assertThat(shell("rm   -r \\\n   -f\t/")).containsExactly("rm -r -f /");
    }

    @Test
    void splitsAtSeparatorsPipesAndSubshells() {
        assertThat(shell("cd /tmp; ls && rm -rf / || echo x | tee y & (halt)"))
                .containsExactly("cd /tmp", "ls", "rm -rf /", "echo x", "tee y", "halt");
    }

    @Test
    void keepsRedirectionsThatLookLikeSeparators() {
        assertThat(shell("make 2>&1 >/dev/null; cmd &>log")).containsExactly("make 2>&1 >/dev/null", "cmd &>log");
    }

    @Test
    void removesQuotesAndEscapes() {
        assertThat(shell("r\"m\" '-rf' \\/")).containsExactly("rm -rf /");
    }

    @Test
    void dropsCommentsButNotHashesInsideWords() {
        assertThat(shell("# rm -rf /\necho a#b # trailing")).containsExactly("echo a#b");
    }

    @Test
    void dropsWrappersAssignmentsAndCommandPaths() {
        assertThat(shell("sudo -u root env LANG=C nohup /bin/rm -rf /")).containsExactly("rm -rf /");
        assertThat(shell("FOO=1 timeout -s KILL 5 \\rm -rf /")).containsExactly("rm -rf /");
        assertThat(shell("if true; then reboot; fi")).contains("reboot");
    }

    @Test
    void normalisesShellMinusCAndEvalAsScriptsOfTheirOwn() {
        assertThat(shell("bash -c 'cd /; rm -rf /'")).contains("cd /", "rm -rf /");
        assertThat(shell("sh -ec \"mkfs.ext4 /dev/sdb\"")).contains("mkfs.ext4 /dev/sdb");
        assertThat(shell("eval \"rm -rf /\"")).contains("rm -rf /");
    }

    @Test
    void findsCommandSubstitutionsEvenInsideDoubleQuotes() {
        assertThat(shell("echo \"$(rm -rf /)\" `reboot`")).contains("rm -rf /", "reboot");
    }

    @Test
    void quotedTextIsAnArgumentNotACommand() {
        // echo prints the text: the command is echo, so rules anchored at the command name do not match.
        assertThat(shell("echo \"rm -rf /\"")).containsExactly("echo rm -rf /");
    }

    @Test
    void wholeScriptDropsCommentLinesForPatternsThatSpanCommands() {
        var n = ScriptNormaliser.normalise(ScriptLanguage.BASH, "# :(){ :|:& };:\n:(){  :|:&\n};:");
        assertThat(n.whole()).isEqualTo(":(){ :|:& };:");
    }

    @Test
    void pythonHandsShellCallsToTheShellRules() {
        var n = ScriptNormaliser.normalise(ScriptLanguage.PYTHON, """
                import os, subprocess  # os.system("reboot") in a comment
                os.system("rm -rf /")
                subprocess.run(
                    ["mkfs.xfs", "/dev/sdc"],
                    check=True)
                print("reboot")
                """);
        assertThat(n.commands()).contains(new Command(ScriptLanguage.BASH, "rm -rf /"),
                new Command(ScriptLanguage.BASH, "mkfs.xfs /dev/sdc"),
                new Command(ScriptLanguage.PYTHON, "print(\"reboot\")"));
        assertThat(n.commands()).noneMatch(c -> c.dialect() == ScriptLanguage.BASH && c.text().equals("reboot"));
    }

    @Test
    void powershellHandlesBacktickContinuationsEscapesCommentsAndQuotes() {
        var n = ScriptNormaliser.normalise(ScriptLanguage.POWERSHELL,
                "<# Stop-Computer #>\n# Format-Volume\nRemove-Item `\n  -Recurse -Force 'C:\\'; Re`start-Computer | Out-Null");
        assertThat(n.commands()).extracting(Command::text)
                .containsExactly("Remove-Item -Recurse -Force C:\\", "Restart-Computer", "Out-Null");
    }

    @Test
    void catastrophicPatternsGiveUpInsteadOfHanging() {
        var result = BoundedMatch.find(Pattern.compile("(.*a){20}"), "a".repeat(40) + "!");
        assertThat(result.exhausted()).isTrue();
        assertThat(BoundedMatch.find(Pattern.compile("^rm\\s"), "rm -rf /").matched()).isEqualTo("rm ");
    }
}
