package io.opsbase.agent.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CheckOutputParserTest {

    private final CheckOutputParser parser = new CheckOutputParser();

    @Test
    void readsCheckLoadAsMonitoringPluginsPrintsIt() {
        CheckResult result = parser.parse(0, "LOAD OK - total load average: 0.75, 0.40, 0.16|load1=0.750;5.000;10.000;0; "
                + "load5=0.400;4.000;8.000;0; load15=0.160;3.000;6.000;0; \n");

        assertThat(result.state()).isEqualTo(ServiceState.OK);
        assertThat(result.summary()).isEqualTo("LOAD OK - total load average: 0.75, 0.40, 0.16");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("load1", "load5", "load15");
        PerfDatum load1 = result.perfData().getFirst();
        assertThat(load1.value()).isEqualTo(0.75);
        assertThat(load1.warn()).isEqualTo("5.000");
        assertThat(load1.crit()).isEqualTo("10.000");
        assertThat(load1.min()).isZero();
        assertThat(load1.max()).isNaN();
        assertThat(result.perfDataProblems()).isEmpty();
    }

    @Test
    void convertsUnitsToBaseUnits() {
        CheckResult result = parser.parse(2, "DISK CRITICAL - free space: / 79238MiB (76% inode=97%);| /=25855787008B;0;0;0;270552530944 "
                + "time=12ms;100;200 big=1.5KiB small=2KB pct=85% c=123c w=5W");

        assertThat(result.state()).isEqualTo(ServiceState.CRITICAL);
        assertThat(result.perfData()).hasSize(7);
        PerfDatum root = result.perfData().get(0);
        assertThat(root.label()).isEqualTo("/");
        assertThat(root.unit()).isEqualTo("bytes");
        assertThat(root.value()).isEqualTo(25855787008d);
        assertThat(root.max()).isEqualTo(270552530944d);
        assertThat(result.perfData().get(1).value()).isCloseTo(0.012, within(1e-12));
        assertThat(result.perfData().get(1).unit()).isEqualTo("seconds");
        assertThat(result.perfData().get(2).value()).isEqualTo(1536);
        assertThat(result.perfData().get(3).value()).isEqualTo(2000);
        assertThat(result.perfData().get(4).unit()).isEqualTo("percent");
        assertThat(result.perfData().get(5).unit()).isEqualTo("counter");
        assertThat(result.perfData().get(6).unit()).isEqualTo("w");
    }

    @Test
    void readsLongTextQuotedLabelsUndeterminedValuesAndPerfDataOnLaterLines() {
        String output = """
                DB OK - 3 databases | 'free space'=12GB;;;0;100 'it''s'=U
                orders: 12 GB
                users: 1 GB | 'conn count'=17;50;80
                sessions=4
                """;

        CheckResult result = parser.parse(0, output);

        assertThat(result.summary()).isEqualTo("DB OK - 3 databases");
        assertThat(result.longText()).isEqualTo("orders: 12 GB\nusers: 1 GB");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("free space", "it's", "conn count", "sessions");
        assertThat(result.perfData().get(0).max()).isEqualTo(100e9);
        assertThat(result.perfData().get(1).value()).isNaN();
        assertThat(result.toMetrics("db")).extracting(MetricPoint::name)
                .containsExactly("check_state", "check_perfdata", "check_perfdata", "check_perfdata");
    }

    @Test
    void reportsMalformedPerfDataWithoutLosingTheState() {
        CheckResult result = parser.parse(1, "WARN - odd | good=1 bad=abc noequals also=2;;");

        assertThat(result.state()).isEqualTo(ServiceState.WARNING);
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("good", "also");
        assertThat(result.perfDataProblems()).hasSize(2).anySatisfy(p -> assertThat(p).contains("bad=abc"))
                .anySatisfy(p -> assertThat(p).contains("noequals"));
    }

    @Test
    void mapsExitCodesAsTheNagiosPluginApiDoes() {
        assertThat(parser.parse(0, "x").state()).isEqualTo(ServiceState.OK);
        assertThat(parser.parse(1, "x").state()).isEqualTo(ServiceState.WARNING);
        assertThat(parser.parse(2, "x").state()).isEqualTo(ServiceState.CRITICAL);
        assertThat(parser.parse(3, "x").state()).isEqualTo(ServiceState.UNKNOWN);
        assertThat(parser.parse(127, "sh: not found").state()).isEqualTo(ServiceState.UNKNOWN);
        assertThat(parser.parse(-1, "").state()).isEqualTo(ServiceState.UNKNOWN);
    }
}
