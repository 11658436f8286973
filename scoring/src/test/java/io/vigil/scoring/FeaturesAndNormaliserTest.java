package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturesAndNormaliserTest {

    private final FeatureSpec spec = new FeatureSpec(List.of("pressure", "temperature"));

    @Test
    void vectorisesInFeatureOrderIgnoringExtraChannels() {
        double[] out = new double[2];
        String problem = spec.vectorise(Map.of("temperature", 71.5, "pressure", 1.25, "humidity", 40.0), out);

        assertThat(problem).isNull();
        assertThat(out).containsExactly(1.25, 71.5);
    }

    @Test
    void namesMissingAndNonFiniteChannels() {
        double[] out = new double[2];
        assertThat(spec.vectorise(Map.of("pressure", 1.0), out))
                .isEqualTo("missing channel(s) temperature; the model needs [pressure, temperature]");
        assertThat(spec.vectorise(Map.of("pressure", Double.NaN, "temperature", 1.0), out))
                .isEqualTo("channel 'pressure' is NaN: only finite numbers can be scored");
        assertThat(spec.vectorise(Map.of("pressure", 1.0, "temperature", Double.POSITIVE_INFINITY), out))
                .contains("'temperature' is Infinity");
    }

    @Test
    void refusesDuplicateOrNoFeatures() {
        assertThatThrownBy(() -> new FeatureSpec(List.of("a", "a"))).hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> new FeatureSpec(List.of())).hasMessageContaining("at least one feature");
    }

    @Test
    void normaliserFitsOnTheGivenRowsOnlyAndInverts() {
        double[][] rows = {{1, 10}, {3, 10}, {5, 10}, {1000, -1000}};
        Normaliser n = Normaliser.fit(rows, 0, 3);

        assertThat(n.mean()).containsExactly(3.0, 10.0);
        assertThat(n.std()[0]).isCloseTo(2.0, within(1e-12));
        assertThat(n.std()[1]).isEqualTo(1.0); // constant channel: unit scale, not a division by zero
        float[] out = new float[2];
        n.apply(new double[] {7, 12}, out, 0);
        assertThat(out[0]).isEqualTo(2.0f);
        assertThat(out[1]).isEqualTo(2.0f);
        assertThat(n.invert(0, 2.0)).isEqualTo(7.0);
    }

    @Test
    void theScoreIsStrictlyIncreasingInTheSurpriseAndHalfAtOneInAHundredThousand() {
        assertThat(Surprise.score(5)).isEqualTo(0.5);
        assertThat(Surprise.score(0)).isZero();
        assertThat(Surprise.score(-3)).isZero();
        double previous = -1;
        for (double surprise = 0; surprise < 1e6; surprise = surprise * 1.3 + 0.01) {
            double score = Surprise.score(surprise);
            assertThat(score).isGreaterThan(previous).isLessThan(1.0);
            previous = score;
        }
        for (double s : new double[] {0.05, 0.3, 0.5, 0.9, 0.99}) {
            assertThat(Surprise.score(Surprise.surprise(s))).isCloseTo(s, within(1e-12));
        }
        assertThat(Surprise.falseAlarmRate(3)).isCloseTo(1e-3, within(1e-15));
        assertThatThrownBy(() -> Surprise.checkScore(1.0, "scoring.threshold"))
                .hasMessage("scoring.threshold must be a score in (0, 1), is 1.0");
    }

    @Test
    void aNewKeysStandardisationIsEstimatedFromItsFirstEventsThenFixed() {
        KeyState.Standardisation s = new KeyState.Standardisation();
        s.mean = new double[2];
        s.std = new double[2];
        s.samples = 0;
        double[][] rows = {{1, 5}, {3, 5}, {5, 5}, {7, 5}};
        for (int i = 0; i < 3; i++) {
            assertThat(Normaliser.estimate(s, rows[i], 0, 4)).isFalse();
        }
        assertThat(Normaliser.estimate(s, rows[3], 0, 4)).isTrue();
        assertThat(s.samples).isEqualTo(-1);
        assertThat(s.mean).containsExactly(4.0, 5.0);
        assertThat(s.std[0]).isCloseTo(Math.sqrt(20.0 / 3), within(1e-12));
        assertThat(s.std[1]).isEqualTo(1.0); // a channel that never varied gets a unit scale
    }
}
