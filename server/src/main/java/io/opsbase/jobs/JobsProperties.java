package io.opsbase.jobs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Job settings ({@code opsbase.jobs.*}).
 *
 * @param lostGrace      a task not finished within its step timeout plus this is marked lost
 * @param maxOutput      output an agent keeps per task; beyond it the agent marks the log truncated
 * @param sweepEvery     how often overdue tasks and finished pauses are looked for
 */
@Validated
@ConfigurationProperties("opsbase.jobs")
public record JobsProperties(
        @NotNull @DefaultValue("30s") Duration lostGrace,
        @NotNull @DefaultValue("1MB") DataSize maxOutput,
        @NotNull @DefaultValue("1s") Duration sweepEvery) {
}
