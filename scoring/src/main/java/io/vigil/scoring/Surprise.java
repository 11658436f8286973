package io.vigil.scoring;

/**
 * Vigil's score, defined once. Its raw measure is the <em>surprise</em> of an event: {@code -log10} of
 * the tail probability of the key's evidence statistic under the key's own remembered behaviour
 * ({@link Reference}); 3 means one in a thousand, 5 one in 100,000. Surprise is unbounded, so it is the
 * score's raw form in alert and score records. The score maps it into [0, 1) by
 * {@code s / (s + HALF)}: strictly increasing, 0.5 at one in 100,000, never reaching 1, so no two
 * different surprises share a score and no block of events piles up at the top.
 */
public final class Surprise {

    /** The surprise at which the score is one half. */
    public static final double HALF = 5;

    private Surprise() {}

    /** The score in [0, 1) of a surprise (negative surprises, which cannot occur, count as 0). */
    public static double score(double surprise) {
        double s = Math.max(0, surprise);
        return s / (s + HALF);
    }

    /** The surprise of a score in (0, 1). */
    public static double surprise(double score) {
        return HALF * checkScore(score, "a score threshold") / (1 - score);
    }

    /** The false-alarm rate per event on normal data that a surprise threshold promises. */
    public static double falseAlarmRate(double surprise) {
        return Math.pow(10, -surprise);
    }

    /**
     * Checks a score threshold given by a person or a file: the one rule, used by the job's options,
     * the scorer's settings and the trainer.
     *
     * @throws IllegalArgumentException naming {@code what} when it is not in (0, 1)
     */
    public static double checkScore(double score, String what) {
        if (!(score > 0 && score < 1)) {
            throw new IllegalArgumentException(what + " must be a score in (0, 1), is " + score);
        }
        return score;
    }
}
