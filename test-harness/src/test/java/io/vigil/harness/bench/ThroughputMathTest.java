package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic: throughput from append times, medians, ratios, expected counts. */
class ThroughputMathTest {

    @Test
    void throughputCountsIntervalsBetweenFirstAndLastAppend() {
        // 1,001 records appended over 2 s: 1,000 intervals, 500 per second
        assertThat(ThroughputMath.eventsPerSecond(1_001, 10_000, 12_000)).isEqualTo(500.0);
        assertThat(ThroughputMath.eventsPerSecond(2, 5, 6)).isEqualTo(1_000.0);
        assertThat(ThroughputMath.eventsPerSecond(285_001, 1_700_000_000_000L, 1_700_000_010_000L))
                .isEqualTo(28_500.0);
    }

    @Test
    void throughputNeedsTwoRecordsAndATimeSpan() {
        assertThatThrownBy(() -> ThroughputMath.eventsPerSecond(1, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 output records");
        assertThat(ThroughputMath.eventsPerSecond(50, 7, 7)).isNaN(); // all in one append: no rate to measure
        assertThatThrownBy(() -> ThroughputMath.eventsPerSecond(50, 9, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within -2 ms");
    }

    @Test
    void steadyRateIsTheSlopeBetweenTenAndNinetyPercentOfTheTotal() {
        // start-up: nothing for 5 s; then 20,000 per second for 5 s (100,000), read every 500 ms; then a
        // slow tail (the last 10,000 over 10 s) that the rate must not see
        List<ThroughputMath.Sample> samples = new java.util.ArrayList<>();
        for (long t = 0; t <= 5_000; t += 500) {
            samples.add(new ThroughputMath.Sample(1_000_000 + t, 0));
        }
        for (long t = 500; t <= 5_000; t += 500) {
            samples.add(new ThroughputMath.Sample(1_005_000 + t, 20 * t));
        }
        for (long t = 1_000; t <= 10_000; t += 1_000) {
            samples.add(new ThroughputMath.Sample(1_010_000 + t, 100_000 + t));
        }
        java.util.Collections.shuffle(samples, new java.util.Random(3)); // order does not matter
        assertThat(ThroughputMath.steadyRate(samples, 110_000)).isCloseTo(20_000.0, within(1e-6));
        assertThat(ThroughputMath.steadyPart(samples, 110_000))
                .extracting(ThroughputMath.Sample::count)
                .containsExactly(20_000L, 30_000L, 40_000L, 50_000L, 60_000L, 70_000L, 80_000L, 90_000L);
    }

    @Test
    void steadyRateEvensOutWhenEachSampleWasRead() {
        // 10,000 per second, each count read up to 100 ms late, alternately: the fit stays within 1%
        List<ThroughputMath.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            long t = i * 250L;
            samples.add(new ThroughputMath.Sample(t + (i % 2 == 0 ? 0 : 100), 10 * t));
        }
        assertThat(ThroughputMath.steadyRate(samples, 100_000)).isCloseTo(10_000.0, within(100.0));
    }

    @Test
    void steadyRateNeedsThreeSamplesInTheSteadyPart() {
        // a tiny run whose counter jumped from 0 to its total between two readings: no rate, never a wrong one
        List<ThroughputMath.Sample> samples = List.of(
                new ThroughputMath.Sample(0, 0),
                new ThroughputMath.Sample(500, 50),
                new ThroughputMath.Sample(1_000, 360));
        assertThat(ThroughputMath.steadyRate(samples, 360)).isNaN();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(ThroughputMath.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ThroughputMath.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(ThroughputMath.median(List.of(9.0))).isEqualTo(9.0);
        assertThat(ThroughputMath.min(List.of(4.0, 1.0, 3.0))).isEqualTo(1.0);
        assertThat(ThroughputMath.max(List.of(4.0, 1.0, 3.0))).isEqualTo(4.0);
        assertThatThrownBy(() -> ThroughputMath.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratioToTheBaselineIsUndefinedWithoutOne() {
        assertThat(ThroughputMath.ratio(25_000, 100_000)).isEqualTo(0.25);
        assertThat(ThroughputMath.ratio(25_000, 0)).isNaN();
        assertThat(ThroughputMath.ratio(25_000, Double.NaN)).isNaN();
    }

    @Test
    void coresAndScoredEvents() {
        assertThat(ThroughputMath.coresUsed(3_000_000_000L, 2_000_000_000L)).isCloseTo(1.5, within(1e-12));
        assertThat(ThroughputMath.coresUsed(1, 0)).isNaN();
        // window 16: each key's first 15 events only fill the window
        assertThat(ThroughputMath.scoredEvents(1_000, 300, 16)).isEqualTo(285_000);
        assertThat(ThroughputMath.scoredEvents(3, 10, 16)).isZero();
    }
}
