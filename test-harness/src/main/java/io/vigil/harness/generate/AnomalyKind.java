package io.vigil.harness.generate;

/**
 * The kinds of anomaly the sensor generator injects, each with the range of its length in events.
 * Magnitudes are in units of the channel's normal standard deviation (sigma).
 */
public enum AnomalyKind {
    /** 1-3 events at 6-10 sigma on one or two channels, away from the channel's mean. */
    SPIKE(1, 3),
    /** A step of +-3..5 sigma on one or two channels. */
    LEVEL_SHIFT(30, 80),
    /** A ramp on one channel growing to 4-6 sigma by the window's last event. */
    DRIFT(40, 100),
    /** The entity's seasonal clock runs twice as fast or half as fast (period halves or doubles). */
    FREQUENCY_CHANGE(40, 100),
    /** One channel repeats the same value exactly. */
    STUCK(30, 80),
    /** One channel stops following the shared latent factors: independent noise of the same variance. */
    CORRELATION_BREAK(40, 100);

    private final int minEvents;
    private final int maxEvents;

    AnomalyKind(int minEvents, int maxEvents) {
        this.minEvents = minEvents;
        this.maxEvents = maxEvents;
    }

    /** Shortest window of this kind, in events. */
    public int minEvents() {
        return minEvents;
    }

    /** Longest window of this kind, in events. */
    public int maxEvents() {
        return maxEvents;
    }
}
