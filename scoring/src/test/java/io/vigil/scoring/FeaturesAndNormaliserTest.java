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
    void theScoreIsTenthsOfDecadesOfImprobability() {
        assertThat(Surprise.score(Gaussian.inverseCdf(1 - 1e-3))).isCloseTo(0.3, within(1e-6));
        assertThat(Surprise.score(0)).isCloseTo(Math.log10(2) / 10, within(1e-9));
        assertThat(Surprise.score(-50)).isZero();
        assertThat(Surprise.score(20)).isEqualTo(1.0);
        assertThat(Surprise.z(0.5)).isCloseTo(4.264891, within(1e-5));
        for (double s : new double[] {0.05, 0.3, 0.5, 0.9, 0.99}) {
            assertThat(Surprise.score(Surprise.z(s))).isCloseTo(s, within(1e-6));
        }
        assertThat(Gaussian.upperTail(8)).isCloseTo(6.220961e-16, within(1e-21));
    }

    @Test
    void gaussianCdfAndInverseAreAccurateInTheTails() {
        assertThat(Gaussian.cdf(0)).isCloseTo(0.5, within(1e-9));
        assertThat(Gaussian.cdf(1.959963985)).isCloseTo(0.975, within(1e-7));
        assertThat(1 - Gaussian.cdf(6)).isCloseTo(9.865876e-10, within(1e-15));
        for (double p : new double[] {1e-6, 0.01, 0.3, 0.5, 0.9, 0.995, 0.999999}) {
            assertThat(Gaussian.cdf(Gaussian.inverseCdf(p))).isCloseTo(p, within(p * 1e-6));
        }
    }
}
