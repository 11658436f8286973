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
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 output records");
        assertThat(ThroughputMath.eventsPerSecond(50, 7, 7)).isNaN(); // all in one append: no rate to measure
        assertThatThrownBy(() -> ThroughputMath.eventsPerSecond(50, 9, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within -2 ms");
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
