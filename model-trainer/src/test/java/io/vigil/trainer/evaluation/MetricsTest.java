package io.vigil.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void confusionRatesOnAHandCountedExample() {
        boolean[] predicted = {true, true, false, false, true, false, false, false};
        boolean[] actual = {true, false, true, false, true, false, false, true};
        Confusion c = Confusion.of(predicted, actual);

        assertThat(c).isEqualTo(new Confusion(2, 1, 2, 3));
        assertThat(c.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(c.f1()).isCloseTo(2 / (2 + 1.5), within(1e-12));
        assertThat(c.falseAlarmRate()).isCloseTo(0.25, within(1e-12));
        assertThat(c.missedAlarmRate()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rocAndPrAreasOnAHandComputedRanking() {
        // ranking by score: P N P N  -> ROC steps: (0,.5) (.5,.5) (.5,1) (1,1): AUC = 0.75
        // AP = 0.5 * 1 + 0.5 * (2/3) = 0.8333
        double[] scores = {0.9, 0.8, 0.7, 0.1};
        boolean[] labels = {true, false, true, false};
        RankingMetrics m = RankingMetrics.of(scores, labels);

        assertThat(m.rocAuc()).isCloseTo(0.75, within(1e-12));
        assertThat(m.prAuc()).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
        assertThat(m.rocCurve()).hasSize(5);
        assertThat(m.rocCurve().get(4).x()).isEqualTo(1.0);
        assertThat(m.rocCurve().get(4).y()).isEqualTo(1.0);
    }

    @Test
    void perfectAndTiedRankings() {
        RankingMetrics perfect =
                RankingMetrics.of(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {true, true, false, false});
        assertThat(perfect.rocAuc()).isEqualTo(1.0);
        assertThat(perfect.prAuc()).isEqualTo(1.0);

        RankingMetrics tied =
                RankingMetrics.of(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {true, false, true, false});
        assertThat(tied.rocAuc()).isCloseTo(0.5, within(1e-12));
        assertThat(tied.prAuc()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void refusesLabelsOfOneClass() {
        assertThatThrownBy(() -> RankingMetrics.of(new double[] {0.1, 0.2}, new boolean[] {false, false}))
                .hasMessageContaining("both normal and anomalous");
    }
}
