package io.vigil.scoring;

/**
 * Vigil's score in [0, 1]: how improbable an event's error is for its key, on a log scale. An
 * event whose combined z-score a normal event of the same key exceeds with probability p scores
 * {@code -log10(p) / 10}: 0.1 per decade of improbability, 0.3 for one in a thousand, 0.5 for one in
 * 100,000, 1 for one in ten billion or rarer. Because it is a function of that tail probability alone,
 * one threshold means the same false-alarm rate for every key; and unlike p itself it spreads the
 * anomalous range over the scale instead of crowding it against 1.
 */
public final class Surprise {

    /** Decades of improbability the scale spans. */
    public static final double DECADES = 10;

    private Surprise() {}

    /** The score of a z-score. */
    public static double score(double z) {
        double p = Gaussian.upperTail(z);
        if (!(p > 0)) {
            return 1;
        }
        return Math.min(1, Math.max(0, -Math.log10(p) / DECADES));
    }

    /** The z-score of a score in (0, 1). */
    public static double z(double score) {
        if (!(score > 0 && score < 1)) {
            throw new IllegalArgumentException("a score threshold must be in (0, 1), is " + score);
        }
        double p = Math.pow(10, -score * DECADES);
        return Gaussian.inverseCdf(1 - p);
    }
}
