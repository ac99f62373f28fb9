package io.opsbase.jobs.policy;

import java.util.ArrayList;
import java.util.List;

/** PowerShell for {@link ScriptNormaliser}: backtick continuations and escapes, comments, quotes, separators. */
final class PowerShellScript {

    private PowerShellScript() {
    }


    static List<String> commands(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        boolean atWordStart = true;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '`') {
                if (i + 1 < n) {
                    char next = script.charAt(i + 1);
                    command.append(next == '\n' || next == '\r' ? ' ' : next);
                }
                i += 2;
                atWordStart = false;
            } else if (c == '<' && i + 1 < n && script.charAt(i + 1) == '#') {
                int end = script.indexOf("#>", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' && atWordStart) {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\'') {
                int end = i + 1;
                while (end < n && (script.charAt(end) != '\'' || (end + 1 < n && script.charAt(end + 1) == '\''))) {
                    if (script.charAt(end) == '\'') {
                        command.append('\'');
                        end += 2;
                    } else {
                        command.append(script.charAt(end++));
                    }
                }
                i = end + 1;
                atWordStart = false;
            } else if (c == '"') {
                int end = i + 1;
                while (end < n && script.charAt(end) != '"') {
                    if (script.charAt(end) == '`' && end + 1 < n) {
                        end++;
                    }
                    command.append(script.charAt(end++));
                }
                i = end + 1;
                atWordStart = false;
            } else if (c == '\n' || c == ';' || c == '|' || c == '&' || c == '{' || c == '}') {
                addCommand(out, command);
                atWordStart = true;
                i++;
            } else {
                command.append(c);
                atWordStart = Character.isWhitespace(c);
                i++;
            }
        }
        addCommand(out, command);
        return out;
    }

    private static void addCommand(List<String> out, StringBuilder command) {
        String text = ScriptNormaliser.collapse(command.toString());
        if (!text.isEmpty()) {
            out.add(text);
        }
        command.setLength(0);
    }
}
