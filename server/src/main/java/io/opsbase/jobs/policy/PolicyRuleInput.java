package io.opsbase.jobs.policy;

/**
 * A rule as the API and the form send it. {@code language}: any, bash, sh, python or powershell (default any);
 * {@code verdict}: block or require_approval; {@code ciField}/{@code ciValue}: both or neither; {@code enabled}
 * defaults to true.
 */
public record PolicyRuleInput(String name, String language, String pattern, String verdict, String ciField,
        String ciValue, String description, Boolean enabled) {
}
