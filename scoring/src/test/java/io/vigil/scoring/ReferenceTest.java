package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    private static final double LAMBDA = Reference.lambda(2000);

    /**
     * The promise of a surprise threshold: on data like what the key remembers, an event reaches surprise
     * s with probability at most about 10^-s. Measured over 60,000 events after 2,000 of history, for
     * evidence of three shapes (a squared Gaussian error, a lognormal, a heavy Pareto tail): the rate at 1
     * and 2 decades is within 30% of 10% and 1%; at 2.5 decades, near the top of what 2,900 remembered
     * events can tell, it is at most 1.3 times 0.32% and at least a quarter of it (the even spread within
     * a bin overstates the mass above a value in a falling tail, so the surprise there errs low).
     * (That keys of different scales give the same evidence is the scorer's part: {@code ScorerTest}.)
     */
    @Test
    void aSurpriseThresholdMeansTheSameFalseAlarmRateWhateverTheEvidencesShape() {
        Random r = new Random(42);
        DoubleSupplier[] shapes = {
            () -> Math.pow(r.nextGaussian(), 2),
            () -> Math.exp(0.8 * r.nextGaussian()),
            () -> Math.pow(1 - r.nextDouble(), -1 / 1.5) // Pareto, index 1.5: infinite variance
        };
        for (int k = 0; k < shapes.length; k++) {
            double[] rates = rates(shapes[k], new double[] {1, 2, 2.5});
            assertThat(rates[0]).as("rate at 1 decade, shape %d", k).isBetween(0.07, 0.13);
            assertThat(rates[1]).as("rate at 2 decades, shape %d", k).isBetween(0.007, 0.013);
            assertThat(rates[2]).as("rate at 2.5 decades, shape %d", k).isBetween(0.0008, 0.0041);
        }
    }

    /** Share of events whose surprise reaches each level, each event learned after it is judged. */
    private static double[] rates(DoubleSupplier shape, double[] levels) {
        float[] h = new float[Reference.SIZE];
        for (int i = 0; i < 2000; i++) {
            Reference.learn(h, y(shape), 1, LAMBDA);
        }
        int n = 60_000;
        int[] over = new int[levels.length];
        for (int i = 0; i < n; i++) {
            double y = y(shape);
            double s = Reference.surprise(h, y);
            for (int k = 0; k < levels.length; k++) {
                over[k] += s >= levels[k] ? 1 : 0;
            }
            Reference.learn(h, y, 1, LAMBDA);
        }
        double[] out = new double[levels.length];
        for (int k = 0; k < levels.length; k++) {
            out[k] = (double) over[k] / n;
        }
        return out;
    }

    /** The evidence as the scorer feeds it: ln of an error ratio, floored as the scorer floors it. */
    private static double y(DoubleSupplier shape) {
        return Math.log(Math.max(shape.getAsDouble(), SurpriseScore.FLOOR));
    }

    @Test
    void surpriseAndScoreAreStrictlyIncreasingInTheEvidenceWithNoPlateauAtTheTop() {
        float[] h = new float[Reference.SIZE];
        Random r = new Random(1);
        for (int i = 0; i < 3000; i++) {
            Reference.learn(h, 0.5 * r.nextGaussian(), 1, LAMBDA);
        }
        double previousSurprise = -1;
        double previousScore = -1;
        // far below the range, through it, far past everything remembered and past the overflow bin
        for (double y = -20; y < 60; y += 0.01) {
            double s = Reference.surprise(h, y);
            double score = Surprise.score(s);
            assertThat(s).as("surprise at y = %s", y).isGreaterThan(previousSurprise);
            assertThat(score)
                    .as("score at y = %s", y)
                    .isGreaterThan(previousScore)
                    .isLessThan(1);
            previousSurprise = s;
            previousScore = score;
        }
        assertThat(previousSurprise).isGreaterThan(20); // far past the remembered values, decades keep coming
    }

    @Test
    void valuesBeyondEverythingRememberedAreAsSurprisingAsTheHistoryAllows() {
        float[] h = new float[Reference.SIZE];
        for (int i = 0; i < 999; i++) {
            Reference.learn(h, 0, 1, 1.0);
        }
        // conformal: a new largest value of 1,000 exchangeable ones has probability 1/1000 (0.88/1000 at the
        // edge of the remembered values, here the upper edge of the bin of 0, then falling)
        double edge = Reference.LOW + Reference.bin(0) * Reference.WIDTH;
        assertThat(Reference.surprise(h, edge)).isCloseTo(3.0, org.assertj.core.api.Assertions.within(0.1));
        assertThat(Reference.surprise(h, edge + 4)).isGreaterThan(3.8);
        assertThat(Reference.surprise(h, -2.0)).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(Reference.mass(h)).isCloseTo(999, org.assertj.core.api.Assertions.within(1e-3));
    }

    @Test
    void whatIsRememberedFadesWithTheHalfLife() {
        float[] h = new float[Reference.SIZE];
        double lambda = Reference.lambda(100);
        Reference.learn(h, 3.0, 1, lambda);
        for (int i = 0; i < 100; i++) {
            Reference.learn(h, 0.0, 1, lambda);
        }
        assertThat(h[Reference.bin(3.0)]).isCloseTo(0.5f, org.assertj.core.api.Assertions.within(1e-4f));
    }
}
