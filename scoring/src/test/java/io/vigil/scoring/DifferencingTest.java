package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.bundle.BundleException;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DifferencingTest {

    private static final FeatureSpec FEATURES = new FeatureSpec(List.of("ch0", "ch1", "ch2"));

    @Test
    void aSeriesRowAndAStreamedReadingGetTheSameInput() {
        Differencing d = Differencing.of(FEATURES, List.of("ch1"));
        double[][] rows = {{1, 10, 100}, {2, 13, 101}, {4, 12, 99}};
        assertThat(d.input(rows, 0)).containsExactly(1, 0, 100);
        assertThat(d.input(rows, 1)).containsExactly(2, 3, 101);
        assertThat(d.input(rows, 2)).containsExactly(4, -1, 99);
        assertThat(rows[1]).containsExactly(2, 13, 101); // the history is not changed

        double[] out = new double[6];
        double[] prev = d.input(rows[0], null, out, 3);
        assertThat(out).containsExactly(0, 0, 0, 1, 0, 100);
        prev = d.input(rows[1], prev, out, 0);
        assertThat(out).startsWith(2, 3, 101);
        d.input(rows[2], prev, out, 0);
        assertThat(out).startsWith(4, -1, 99);
        assertThat(Differencing.none().input(rows, 1)).isSameAs(rows[1]);
    }

    @Test
    void aChannelTheFeaturesDoNotHaveOrOneNamedTwiceIsRefused() {
        assertThatThrownBy(() -> Differencing.of(FEATURES, List.of("temperature")))
                .hasMessageContaining("'temperature'")
                .hasMessageContaining("[ch0, ch1, ch2]");
        assertThatThrownBy(() -> Differencing.of(FEATURES, List.of("ch1", "ch1")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ScoringModel.assemble(
                        TestModels.manifest("v1", 3, 6, 5, null, null, List.of("nope")),
                        TestModels.randomLstm(3, 8, 1),
                        TestModels.randomAutoencoder(18, 1)))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'nope'");
    }

    /**
     * Differencing in the scorer is exactly feeding the differenced rows to the same networks; only
     * the expected value is put back in the channel's own units (the previous reading plus the change).
     */
    @Test
    void aDifferencedChannelScoresAsItsDifferencesAndIsExpectedAtThePreviousReadingPlusThePredictedChange() {
        int c = 3;
        int w = 6;
        var lstm = TestModels.randomLstm(c, 8, 5);
        var ae = TestModels.randomAutoencoder(w * c, 5);
        ScoringModel differencing =
                ScoringModel.assemble(TestModels.manifest("v1", c, w, 5, null, null, List.of("ch1")), lstm, ae);
        ScoringModel plain = ScoringModel.assemble(TestModels.manifest("v1", c, w, 5), lstm, ae);
        Random r = new Random(9);
        int n = 40;
        double[][] raw = new double[n][];
        double[][] differenced = new double[n][];
        double level = 50;
        for (int t = 0; t < n; t++) {
            level += r.nextGaussian() * 0.3 + 0.2; // a drifting slow channel
            raw[t] = new double[] {r.nextGaussian(), level, 20 + 3 * r.nextGaussian()};
            differenced[t] = raw[t].clone();
            differenced[t][1] = t == 0 ? 0 : raw[t][1] - raw[t - 1][1];
        }
        List<double[]> a = run(differencing, raw);
        List<double[]> b = run(plain, differenced);
        for (int t = 0; t < n; t++) {
            assertThat(a.get(t)[0]).as("score at %d", t).isCloseTo(b.get(t)[0], within(1e-12));
            assertThat(a.get(t)[1]).as("lstm error at %d", t).isCloseTo(b.get(t)[1], within(1e-12));
            assertThat(a.get(t)[3]).as("actual at %d", t).isEqualTo(raw[t][1]);
            if (t > 0) {
                assertThat(a.get(t)[2]).as("expected at %d", t).isCloseTo(raw[t - 1][1] + b.get(t)[2], within(1e-9));
            }
        }
        assertThat(b.get(n - 1)[0]).isPositive();
    }

    /** score, lstm error, expected and actual of channel 1, per event. */
    private static List<double[]> run(ScoringModel m, double[][] rows) {
        List<double[]> out = new ArrayList<>();
        try (Scorer scorer = new Scorer(m, Scorer.Settings.defaults())) {
            KeyState s = scorer.newState("k");
            for (int t = 0; t < rows.length; t++) {
                ScorerTest.one(
                        scorer,
                        "k",
                        s,
                        rows[t],
                        t,
                        (i, v) -> out.add(new double[] {v.score(), v.lstmError(), v.expected(1), v.actual(1)}));
            }
        }
        return out;
    }
}
