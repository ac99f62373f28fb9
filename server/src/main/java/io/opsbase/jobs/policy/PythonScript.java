package io.opsbase.jobs.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python for {@link ScriptNormaliser}: logical lines, and the shell commands a line hands to the system. */
final class PythonScript {

    private static final Pattern PYTHON_SHELL_CALL = Pattern.compile(
            "\\b(?:os\\.(?:system|popen|exec\\w*|spawn\\w*)|subprocess\\.\\w+|commands\\.\\w+|pty\\.spawn|check_output|check_call|Popen)\\s*\\(");
    private static final Pattern PYTHON_STRING = Pattern.compile("[rRbBuUfF]{0,2}(['\"])((?:\\\\.|(?!\\1)[^\\\\])*)\\1");

    private PythonScript() {
    }

    static boolean callsAShell(String line) {
        return PYTHON_SHELL_CALL.matcher(line).find();
    }

    /** Logical lines: strings kept as written, comments dropped, brackets and continuations joined, split at {@code ;}. */
    static List<String> logicalLines(String script) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int depth = 0;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"') {
                boolean triple = i + 2 < n && script.charAt(i + 1) == c && script.charAt(i + 2) == c;
                String quote = triple ? String.valueOf(c).repeat(3) : String.valueOf(c);
                int end = i + quote.length();
                while (end < n && !script.startsWith(quote, end)) {
                    end += script.charAt(end) == '\\' ? 2 : 1;
                    if (!triple && end < n && script.charAt(end) == '\n') {
                        break;
                    }
                }
                end = Math.min(end + quote.length(), n);
                line.append(script, i, end);
                i = end;
            } else if (c == '#') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\\' && i + 1 < n && script.charAt(i + 1) == '\n') {
                line.append(' ');
                i += 2;
            } else if ((c == '\n' && depth <= 0) || (c == ';' && depth <= 0)) {
                addLine(lines, line);
                i++;
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                }
                line.append(c == '\n' ? ' ' : c);
                i++;
            }
        }
        addLine(lines, line);
        return lines;
    }

    private static void addLine(List<String> lines, StringBuilder line) {
        String text = ScriptNormaliser.collapse(line.toString());
        if (!text.isEmpty()) {
            lines.add(text);
        }
        line.setLength(0);
    }

    /** The line's string literals, unescaped and joined with spaces: the command it passes to a shell. */
    static String stringLiterals(String line) {
        List<String> parts = new ArrayList<>();
        Matcher m = PYTHON_STRING.matcher(line);
        while (m.find()) {
            parts.add(m.group(2).replace("\\\\", "\\").replace("\\'", "'").replace("\\\"", "\""));
        }
        return String.join(" ", parts);
    }
}
