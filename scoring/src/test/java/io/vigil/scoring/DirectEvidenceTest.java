package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DirectEvidenceTest {

    private static final int C = 3;
    private static final int W = 6;
    private static final int DIRECT = 2;
    private static final double LEVEL = 0.5;
    private static final double AT_LEVEL = 4;

    /** A model whose third channel (ch2) is direct evidence: normal level 0.5, which counts as evidence 4. */
    private static ScoringModel model() {
        BundleManifest m = TestModels.manifest("v1", C, W, 5);
        return ScoringModel.assemble(
                m.withScoring(
                        m.scoring().withDirect(new BundleManifest.DirectSpec(Map.of("ch2", LEVEL), AT_LEVEL)),
                        m.keyScales(),
                        m.alert()),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
    }

    @Test
    void theNormalLevelIsTheNinetyNinthPercentileOfNormalValuesButNeverBelowTheSmallestPositiveOne() {
        double[] mostlyZero = new double[1000];
        Arrays.fill(mostlyZero, 990, 1000, 0.05); // 1% positive: the 99th percentile is almost 0
        assertThat(DirectEvidence.level(mostlyZero)).isEqualTo(0.05);

        double[] spread = new double[101];
        for (int i = 0; i <= 100; i++) {
            spread[i] = i; // 0..100: the 99th percentile is 99
        }
        assertThat(DirectEvidence.level(spread)).isCloseTo(99, within(1e-9));

        assertThat(DirectEvidence.level(new double[] {0, 0, -1})).isEqualTo(DirectEvidence.NO_POSITIVE_LEVEL);
    }

    @Test
    void aDirectChannelIsHiddenFromTheNetworksAndItsValueOverItsScaleIsItsEvidence() {
        Random r = new Random(3);
        double[][] zero = ScorerTest.series(r, 30);
        double[][] negative = new double[zero.length][];
        for (int t = 0; t < zero.length; t++) {
            zero[t][DIRECT] = 0;
            negative[t] = zero[t].clone();
            negative[t][DIRECT] = -10 * r.nextDouble(); // not evidence (at or below 0), and not seen
        }
        int spike = 25;
        double[][] spiked = Arrays.stream(zero).map(double[]::clone).toArray(double[][]::new);
        spiked[spike][DIRECT] = 25; // 50 times its normal level: evidence 4 x 50

        List<double[]> a = replay(zero);
        List<double[]> b = replay(negative);
        List<double[]> s = replay(spiked);
        for (int t = 0; t < zero.length; t++) {
            // the networks see the same inputs whatever the direct channel holds: the same errors, evidence
            // and surprise, event by event
            assertThat(b.get(t)).as("event %d", t).containsExactly(a.get(t));
        }
        for (int t = W - 1; t < spike; t++) {
            assertThat(s.get(t)).as("event %d, before the spike", t).containsExactly(a.get(t));
        }
        double withoutIt = a.get(spike)[0];
        assertThat(withoutIt).isLessThan(Math.log(200));
        assertThat(s.get(spike)[0]).as("evidence ln(4 x 25 / 0.5)").isCloseTo(Math.log(200), within(1e-9));
        assertThat(s.get(spike)[1]).as("surprise").isGreaterThan(a.get(spike)[1]);
        assertThat(s.get(spike)[2])
                .as("expected value of the direct channel: its normal level")
                .isEqualTo(LEVEL);
        assertThat(s.get(spike)[3]).as("its share of the evidence").isGreaterThan(0.5);
        // the networks' own errors did not change at the spike either
        assertThat(s.get(spike)[4]).isEqualTo(a.get(spike)[4]);
        assertThat(s.get(spike)[5]).isEqualTo(a.get(spike)[5]);
    }

    @Test
    void aBundleNamingADirectChannelItDoesNotHaveIsRefused() {
        BundleManifest m = TestModels.manifest("v1", C, W, 5);
        BundleManifest.ScoringSpec spec =
                m.scoring().withDirect(new BundleManifest.DirectSpec(Map.of("merchant_risk", 0.1), 1));
        assertThatThrownBy(() -> DirectEvidence.of(m.features(), spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scoring.direct names channel 'merchant_risk', which is not among the features [ch0, ch1,"
                        + " ch2]");
        assertThatThrownBy(() -> new BundleManifest.DirectSpec(Map.of("ch2", 0.0), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scoring.direct.levels.ch2 is 0.0: the normal level of a direct-evidence channel must be"
                        + " a positive finite number");
    }

    /** Per scored event: evidence, surprise, expected(ch2), contribution(ch2), LSTM error, AE error. */
    private static List<double[]> replay(double[][] rows) {
        List<double[]> out = new ArrayList<>();
        try (Scorer scorer = new Scorer(model(), Scorer.Settings.defaults())) {
            KeyState st = scorer.newState("k");
            for (double[] row : rows) {
                ScorerTest.one(
                        scorer,
                        "k",
                        st,
                        row,
                        0,
                        (i, v) -> out.add(
                                v.scored()
                                        ? new double[] {
                                            v.evidence(),
                                            v.surprise(),
                                            v.expected(DIRECT),
                                            v.contribution(DIRECT),
                                            v.lstmError(),
                                            v.aeError()
                                        }
                                        : new double[] {Double.NaN}));
            }
        }
        return out;
    }
}
