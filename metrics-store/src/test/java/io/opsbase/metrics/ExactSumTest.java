package io.opsbase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The bucket sum against BigDecimal arithmetic: the exact sum rounded once, ties to even. */
class ExactSumTest {

    @Property(tries = 2000)
    void sumEqualsTheExactSumRoundedOnce(@ForAll("values") double[] values) {
        assertThat(sum(values)).isEqualTo(reference(values));
    }

    @Provide
    Arbitrary<double[]> values() {
        Arbitrary<Double> wide = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> gauges = Arbitraries.integers().between(-100_000, 100_000).map(i -> i / 100.0);
        Arbitrary<Double> scaled = Arbitraries.of(1e308, -1e308, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-308,
                Double.MIN_VALUE, -Double.MIN_VALUE, 1.0, -1.0, 0x1p-53, -0x1p-53, 0x1p53, 1e16, -1e16, 0.1, 0.0, -0.0);
        return Arbitraries.oneOf(wide, gauges, scaled).array(double[].class).ofMaxSize(60);
    }

    @Example
    void halfWayCasesRoundToEven() {
        // 1 + 2^-53 is exactly half-way between 1 and the next double: ties to even gives 1;
        // one more tiny positive value tips it up.
        assertThat(sum(1.0, 0x1p-53)).isEqualTo(1.0);
        assertThat(sum(1.0, 0x1p-53, 0x1p-60)).isEqualTo(Math.nextUp(1.0));
        assertThat(sum(1.0, 0x1p-53, -0x1p-60)).isEqualTo(1.0);
        assertThat(sum(1e16, 1.0, 1.0)).isEqualTo(reference(new double[] {1e16, 1.0, 1.0}));
    }

    @Example
    void cancellationLeavesTheSmallTerms() {
        assertThat(sum(1e100, 1.0, -1e100)).isEqualTo(1.0);
        assertThat(sum(0.1, 0.2, -0.3)).isEqualTo(reference(new double[] {0.1, 0.2, -0.3}));
    }

    @Example
    void sumsPastTheLargestDoubleContinueExactly() {
        assertThat(sum(Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE)).isEqualTo(Double.MAX_VALUE);
        assertThat(sum(Double.MAX_VALUE, 1.0, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE)).isEqualTo(1.0);
        assertThat(sum(Double.MAX_VALUE, Double.MAX_VALUE)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Example
    void infinitiesDecideTheSum() {
        assertThat(sum(1.0, Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(Double.NEGATIVE_INFINITY, 1.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(sum(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)).isNaN();
    }

    @Example
    void resetForgetsEverything() {
        Bucket.Sum s = new Bucket.Sum();
        s.add(Double.MAX_VALUE);
        s.add(Double.MAX_VALUE);
        s.add(Double.POSITIVE_INFINITY);
        s.reset();
        s.add(0.5);
        assertThat(s.value()).isEqualTo(0.5);
    }

    private static double sum(double... values) {
        Bucket.Sum s = new Bucket.Sum();
        for (double v : values) {
            s.add(v);
        }
        return s.value();
    }

    private static double reference(double[] values) {
        BigDecimal exact = BigDecimal.ZERO;
        for (double v : values) {
            exact = exact.add(new BigDecimal(v));
        }
        double d = exact.doubleValue();
        return d == 0 ? 0.0 : d;
    }
}
