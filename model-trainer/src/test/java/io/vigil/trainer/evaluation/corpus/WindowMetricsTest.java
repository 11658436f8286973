package io.vigil.trainer.evaluation.corpus;

import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowMetricsTest {

    private static boolean[] predicted(int n, int... rowsOn) {
        boolean[] p = new boolean[n];
        for (int r : rowsOn) {
            p[r] = true;
        }
        return p;
    }

    /**
     * A: 100 rows, windows 10-19, 40-44, 70-79, tolerance 3; episodes 12-14 (window 1, delay 2), 46-47
     * (inside window 2's tolerance, delay 6), 60-61 (false), 85 (false: window 3's zone ends at 82);
     * window 3 missed. B: 50 rows, window 30-35, one episode 28-31 that starts before it: the window is
     * detected with delay 0, the episode is false.
     */
    private static List<LabelledFile> corpus() {
        LabelledFile a = SyntheticCorpus.file("a.csv", 100, rows(10, 19), rows(40, 44), rows(70, 79))
                .withPredicted(predicted(100, 12, 13, 14, 46, 47, 60, 61, 85));
        LabelledFile b = SyntheticCorpus.file("b.csv", 50, rows(30, 35)).withPredicted(predicted(50, 28, 29, 30, 31));
        return List.of(a, b);
    }

    @Test
    void recallPrecisionAndDelayOnAHandCountedExample() {
        WindowMetrics m = WindowMetrics.ofPredictions(corpus(), 3, 0);

        assertThat(m.windows()).isEqualTo(4);
        assertThat(m.detectedWindows()).isEqualTo(3);
        assertThat(m.missedWindows()).isEqualTo(1);
        assertThat(m.recall()).isCloseTo(0.75, within(1e-12));
        assertThat(m.episodes()).isEqualTo(5);
        assertThat(m.trueEpisodes()).isEqualTo(2);
        assertThat(m.falseEpisodes()).isEqualTo(3);
        assertThat(m.precision()).isCloseTo(0.4, within(1e-12));
        assertThat(m.delaysRows()).containsExactly(2, 6, 0);
        assertThat(m.medianDelayRows()).isEqualTo(2.0); // nearest rank ceil(0.5 * 3) = 2 of [0, 2, 6]
        assertThat(m.p90DelayRows()).isEqualTo(6.0); // rank ceil(0.9 * 3) = 3
    }

    @Test
    void withoutToleranceTheLateEpisodeMissesItsWindow() {
        WindowMetrics m = WindowMetrics.ofPredictions(corpus(), 0, 0);

        assertThat(m.detectedWindows()).isEqualTo(2);
        assertThat(m.trueEpisodes()).isEqualTo(1);
        assertThat(m.delaysRows()).containsExactly(2, 0);
        assertThat(m.medianDelayRows()).isEqualTo(0.0);
        assertThat(m.p90DelayRows()).isEqualTo(2.0);
    }

    @Test
    void rowsBeforeTheFirstScoredRowAreIgnoredAndWindowsClipped() {
        // 60 rows, first scored row 20: window 5-9 is not counted, window 15-30 counts from row 20, window 50-59
        // ends on the last row (its zone is clipped to the file); predictions at 3-6 and 16-18 are ignored.
        LabelledFile c = SyntheticCorpus.file("c.csv", 60, rows(5, 9), rows(15, 30), rows(50, 59))
                .withPredicted(predicted(60, 3, 4, 5, 6, 16, 17, 18, 24, 59));
        WindowMetrics m = WindowMetrics.ofPredictions(List.of(c), 10, 20);

        assertThat(m.windows()).isEqualTo(2);
        assertThat(m.detectedWindows()).isEqualTo(2);
        assertThat(m.delaysRows()).containsExactly(4, 9);
        assertThat(m.episodes()).isEqualTo(2);
        assertThat(m.trueEpisodes()).isEqualTo(2);
    }

    @Test
    void fromScoresAtAThresholdAndWithNothingDetected() {
        double[] s = new double[100];
        s[15] = 0.9;
        s[50] = 0.4;
        LabelledFile a =
                SyntheticCorpus.file("a.csv", 100, rows(10, 19), rows(40, 44)).withScores(s);

        WindowMetrics m = WindowMetrics.atThreshold(List.of(a), 0.5, 3, 0);
        assertThat(m.detectedWindows()).isEqualTo(1);
        assertThat(m.delaysRows()).containsExactly(5);
        assertThat(m.precision()).isEqualTo(1.0);

        WindowMetrics none = WindowMetrics.atThreshold(List.of(a), 0.95, 3, 0);
        assertThat(none.recall()).isZero();
        assertThat(none.precision()).isZero();
        assertThat(none.medianDelayRows()).isNaN();
        assertThat(none.p90DelayRows()).isNaN();
    }
}
