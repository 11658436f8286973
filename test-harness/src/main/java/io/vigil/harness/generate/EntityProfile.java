package io.vigil.harness.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * The normal behaviour of one entity: per channel a base level and scale, loadings on three shared
 * latent factors (a fast and a slow sinusoid, and a slow AR(1) process, each of unit variance), and a
 * small AR(1) noise of its own. In standardised units a channel has mean 0 and variance 1, so
 * {@code sigma(c)} is its normal standard deviation in its own units.
 */
public record EntityProfile(
        String entityId,
        double[] base,
        double[] scale,
        double[][] loadings,
        double[] noiseStd,
        double[] noisePhi,
        double slowFactorPhi,
        double fastPeriod,
        double slowPeriod,
        double fastPhase,
        double slowPhase) {

    /** Latent factor indices in {@link #loadings()}. */
    public static final int FAST_SEASONAL = 0;

    public static final int SLOW_SEASONAL = 1;
    public static final int SLOW_AR = 2;
    public static final int FACTORS = 3;

    public EntityProfile {
        base = base.clone();
        scale = scale.clone();
        loadings = Arrays.stream(loadings).map(double[]::clone).toArray(double[][]::new);
        noiseStd = noiseStd.clone();
        noisePhi = noisePhi.clone();
    }

    /**
     * Draws a profile. Every entity's channel {@code c} is the same kind of sensor ({@code channelLevel[c]},
     * {@code channelScale[c]}), ranged by an entity factor of 1-8x with a +-10% jitter, so one
     * channel's scale differs between entities by up to 10x and per-key normalisation matters. The
     * fast period is 24-50 events, the slow one 100-200.
     */
    static EntityProfile draw(String entityId, double[] channelLevel, double[] channelScale, Random rng) {
        int channels = channelLevel.length;
        double entityScale = Math.pow(10, 0.9 * rng.nextDouble());
        double[] base = new double[channels];
        double[] scale = new double[channels];
        double[][] loadings = new double[channels][FACTORS];
        double[] noiseStd = new double[channels];
        double[] noisePhi = new double[channels];
        for (int c = 0; c < channels; c++) {
            base[c] = channelLevel[c] * entityScale * (0.9 + 0.2 * rng.nextDouble());
            scale[c] = channelScale[c] * entityScale * (0.9 + 0.2 * rng.nextDouble());
            noiseStd[c] = 0.2 + 0.1 * rng.nextDouble();
            noisePhi[c] = 0.3 + 0.4 * rng.nextDouble();
            // Two or three of the three factors, so channels are correlated but not copies of each other.
            int skipped = rng.nextBoolean() ? rng.nextInt(FACTORS) : -1;
            double sumSquares = 0;
            for (int k = 0; k < FACTORS; k++) {
                if (k != skipped) {
                    loadings[c][k] = (0.5 + 0.5 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
                    sumSquares += loadings[c][k] * loadings[c][k];
                }
            }
            // Factors have unit variance: scaling the loadings to 1 - noise variance gives the channel unit variance.
            double norm = Math.sqrt((1 - noiseStd[c] * noiseStd[c]) / sumSquares);
            for (int k = 0; k < FACTORS; k++) {
                loadings[c][k] *= norm;
            }
        }
        double slowPhi = 0.9 + 0.08 * rng.nextDouble();
        double fastPeriod = 24 + 26 * rng.nextDouble();
        double slowPeriod = 100 + 100 * rng.nextDouble();
        double fastPhase = 2 * Math.PI * rng.nextDouble();
        double slowPhase = 2 * Math.PI * rng.nextDouble();
        return new EntityProfile(
                entityId,
                base,
                scale,
                loadings,
                noiseStd,
                noisePhi,
                slowPhi,
                fastPeriod,
                slowPeriod,
                fastPhase,
                slowPhase);
    }

    public int channels() {
        return base.length;
    }

    /** Normal standard deviation of channel {@code c}, in its own units. */
    public double sigma(int c) {
        return scale[c];
    }

    /** Normal mean of channel {@code c}, in its own units. */
    public double mean(int c) {
        return base[c];
    }

    /** Loading of channel {@code c} on latent factor {@code k}. */
    public double loading(int c, int k) {
        return loadings[c][k];
    }

    @Override
    public double[] base() {
        return base.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public double[][] loadings() {
        return Arrays.stream(loadings).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public double[] noiseStd() {
        return noiseStd.clone();
    }

    @Override
    public double[] noisePhi() {
        return noisePhi.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityProfile p
                && entityId.equals(p.entityId)
                && Arrays.equals(base, p.base)
                && Arrays.equals(scale, p.scale)
                && Arrays.deepEquals(loadings, p.loadings)
                && Arrays.equals(noiseStd, p.noiseStd)
                && Arrays.equals(noisePhi, p.noisePhi)
                && slowFactorPhi == p.slowFactorPhi
                && fastPeriod == p.fastPeriod
                && slowPeriod == p.slowPeriod
                && fastPhase == p.fastPhase
                && slowPhase == p.slowPhase;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(base) * 31 + entityId.hashCode();
    }

    @Override
    public String toString() {
        return "EntityProfile[" + entityId + " base=" + Arrays.toString(base) + " sigma=" + Arrays.toString(scale)
                + " periods=" + fastPeriod + "/" + slowPeriod + "]";
    }
}
