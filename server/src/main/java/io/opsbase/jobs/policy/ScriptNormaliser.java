package io.opsbase.jobs.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a script into the commands the rules look at, so that a rule written as {@code ^rm\s…} sees
 * {@code rm -rf /} however the script spells it.
 *
 * <p>Shell (bash, sh): line continuations joined; comments dropped; split into simple commands at newlines,
 * {@code ;}, {@code &}, {@code &&}, {@code |}, {@code ||}, parentheses and command substitutions ({@code $(…)},
 * backticks, also inside double quotes); quotes and backslash escapes removed; wrappers dropped from the front
 * ({@code sudo -u x}, {@code env A=b}, {@code nohup}, {@code exec}, {@code command}, {@code time}, {@code timeout 5},
 * {@code xargs}, assignments, {@code {}, {@code !}, {@code then}/{@code do}); a path on the command name dropped
 * ({@code /bin/rm} → {@code rm}); {@code bash -c '…'} and {@code eval …} normalised again as scripts of their own;
 * whitespace collapsed to one space.
 *
 * <p>Decision on quoted text: {@code echo "rm -rf /"} prints text and does not run it, so it yields the command
 * {@code echo rm -rf /}, which rules anchored at the command name ({@code ^rm}) do not match; a comment
 * {@code # rm -rf /} yields nothing. Rules that are not anchored (such as a redirection onto {@code /dev/sda})
 * still see quoted text, erring on the side of asking.
 *
 * <p>Python: logical lines (continuations and open brackets joined, comments dropped, split at {@code ;});
 * string literals on a line calling {@code os.system}, {@code os.popen}, {@code subprocess…} or {@code pty.spawn}
 * are joined and normalised as a shell command as well (so {@code subprocess.run(["rm","-rf","/"])} is
 * {@code rm -rf /}). PowerShell: backtick continuations and escapes, comments ({@code #}, {@code <# #>}), split
 * at newlines, {@code ;}, {@code |}, {@code &}, braces; quotes removed; whitespace collapsed.
 *
 * <p>Besides the commands, {@link Normalised#whole()} is the script with comments dropped and whitespace collapsed,
 * for patterns that span commands (a fork bomb). Stateless and thread-safe.
 */
final class ScriptNormaliser {

    /** One command to match rules against, in the dialect that will run it. */
    record Command(ScriptLanguage dialect, String text) {
    }

    record Normalised(List<Command> commands, String whole) {
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "ash", "busybox");
    private static final Set<String> KEYWORDS = Set.of("{", "}", "!", "then", "do", "else", "elif", "if", "while", "until");
    /** Wrappers that run the rest of the line as a command, with the options that take an argument. */
    private static final Map<String, Set<String>> WRAPPERS = Map.ofEntries(
            Map.entry("sudo", Set.of("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T")),
            Map.entry("doas", Set.of("-u", "-C")),
            Map.entry("env", Set.of("-u", "-C", "-S")),
            Map.entry("nice", Set.of("-n")),
            Map.entry("ionice", Set.of("-c", "-n", "-p")),
            Map.entry("timeout", Set.of("-s", "-k")),
            Map.entry("xargs", Set.of("-I", "-n", "-P", "-d", "-a", "-E", "-L", "-s")),
            Map.entry("stdbuf", Set.of("-i", "-o", "-e")),
            Map.entry("nohup", Set.of()), Map.entry("exec", Set.of("-a")), Map.entry("command", Set.of()),
            Map.entry("builtin", Set.of()), Map.entry("time", Set.of()), Map.entry("setsid", Set.of()),
            Map.entry("unbuffer", Set.of()), Map.entry("watch", Set.of("-n", "-d")));
    private static final int MAX_NESTING = 8;

    private ScriptNormaliser() {
    }

    static Normalised normalise(ScriptLanguage language, String script) {
        List<Command> commands = new ArrayList<>();
        String whole;
        switch (language) {
            case PYTHON -> {
                List<String> lines = PythonScript.logicalLines(script);
                for (String line : lines) {
                    commands.add(new Command(ScriptLanguage.PYTHON, line));
                    if (PythonScript.callsAShell(line)) {
                        shell(PythonScript.stringLiterals(line), 0).forEach(c -> commands.add(new Command(ScriptLanguage.BASH, c)));
                    }
                }
                whole = String.join(" ; ", lines);
            }
            case POWERSHELL -> {
                PowerShellScript.commands(script).forEach(c -> commands.add(new Command(ScriptLanguage.POWERSHELL, c)));
                whole = collapse(script.replaceAll("`\\r?\\n", " ").replaceAll("(?m)^\\s*#.*$", ""));
            }
            default -> {
                ScriptLanguage dialect = language == ScriptLanguage.ANY ? ScriptLanguage.BASH : language;
                shell(script, 0).forEach(c -> commands.add(new Command(dialect, c)));
                whole = collapse(script.replaceAll("\\\\\\r?\\n", " ").replaceAll("(?m)^\\s*#.*$", ""));
            }
        }
        return new Normalised(List.copyOf(commands), whole);
    }

    // ---- shell -------------------------------------------------------------------------------------------

    static List<String> shell(String script, int depth) {
        List<String> out = new ArrayList<>();
        if (depth > MAX_NESTING) {
            return out;
        }
        String s = script.replaceAll("\\\\\\r?\\n", " ");
        List<List<String>> raw = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 < n) {
                    word.append(s.charAt(i + 1));
                }
                inWord = true;
                i += 2;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                end = end < 0 ? n : end;
                word.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, word, out, depth);
                inWord = true;
            } else if (c == '#' && !inWord) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ' ' || c == '\t' || c == '\r') {
                inWord = endWord(words, word, inWord);
                i++;
            } else if (c == '&' && ((i > 0 && (s.charAt(i - 1) == '>' || s.charAt(i - 1) == '<'))
                    || (i + 1 < n && s.charAt(i + 1) == '>'))) {
                word.append(c); // a redirection (2>&1, &>file), not a command separator
                inWord = true;
                i++;
            } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`'
                    || (c == '$' && i + 1 < n && s.charAt(i + 1) == '(')) {
                inWord = endWord(words, word, inWord);
                endCommand(raw, words);
                words = new ArrayList<>();
                i += c == '$' ? 2 : 1;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        endWord(words, word, inWord);
        endCommand(raw, words);
        for (List<String> command : raw) {
            simpleCommand(command, out, depth);
        }
        return out;
    }

    /** Reads a double-quoted string from {@code i}; command substitutions inside it become commands of their own. */
    private static int doubleQuoted(String s, int i, StringBuilder word, List<String> out, int depth) {
        int n = s.length();
        while (i < n && s.charAt(i) != '"') {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                word.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '$' && i + 1 < n && s.charAt(i + 1) == '(') {
                int end = closing(s, i + 2);
                out.addAll(shell(s.substring(i + 2, end), depth + 1));
                i = Math.min(end + 1, n);
            } else if (c == '`') {
                int end = s.indexOf('`', i + 1);
                end = end < 0 ? n : end;
                out.addAll(shell(s.substring(i + 1, end), depth + 1));
                i = Math.min(end + 1, n);
            } else {
                word.append(c);
                i++;
            }
        }
        return i + 1;
    }

    private static int closing(String s, int from) {
        int level = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                level++;
            } else if (c == ')' && --level == 0) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean endWord(List<String> words, StringBuilder word, boolean inWord) {
        if (inWord) {
            words.add(word.toString());
            word.setLength(0);
        }
        return false;
    }

    private static void endCommand(List<List<String>> raw, List<String> words) {
        if (!words.isEmpty()) {
            raw.add(words);
        }
    }

    private static void simpleCommand(List<String> words, List<String> out, int depth) {
        int start = 0;
        boolean progress = true;
        while (progress && start < words.size()) {
            progress = false;
            String w = words.get(start);
            if (KEYWORDS.contains(w) || ASSIGNMENT.matcher(w).matches()) {
                start++;
                progress = true;
            } else if (WRAPPERS.containsKey(basename(w))) {
                String wrapper = basename(w);
                Set<String> withArgument = WRAPPERS.get(wrapper);
                start++;
                while (start < words.size() && words.get(start).startsWith("-") && !words.get(start).equals("-")) {
                    start += withArgument.contains(words.get(start)) ? 2 : 1;
                }
                if (wrapper.equals("timeout") && start < words.size()) {
                    start++; // the duration
                }
                progress = true;
            }
        }
        if (start >= words.size()) {
            return;
        }
        List<String> command = new ArrayList<>(words.subList(start, words.size()));
        command.set(0, basename(command.getFirst()));
        String name = command.getFirst();
        if (SHELLS.contains(name)) {
            for (int k = 1; k + 1 < command.size(); k++) {
                String option = command.get(k);
                if (option.startsWith("-") && !option.startsWith("--") && option.indexOf('c') > 0) {
                    out.addAll(shell(command.get(k + 1), depth + 1));
                    break;
                }
            }
        } else if (name.equals("eval")) {
            out.addAll(shell(String.join(" ", command.subList(1, command.size())), depth + 1));
        }
        String text = collapse(String.join(" ", command));
        if (!text.isEmpty()) {
            out.add(text);
        }
    }

    private static String basename(String word) {
        int slash = word.lastIndexOf('/');
        return slash >= 0 && slash < word.length() - 1 && !word.startsWith("-") ? word.substring(slash + 1) : word;
    }

    static String collapse(String s) {
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }
}
