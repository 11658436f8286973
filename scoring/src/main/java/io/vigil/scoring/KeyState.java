package io.vigil.scoring;

/**
 * Everything Vigil remembers about one key between events; it lives in Flink keyed state (so it is
 * checkpointed and moves with its key on rescale) or, in the trainer, in a map. The job writes it with
 * its own serializer ({@code io.vigil.job.state.KeyStateSerializer}, versioned): a field added here is
 * added there, with a new format number, and older state stays readable.
 *
 * <p>About {@code 4 * (W*C + 2*H + 7*C) + 16 * C + 104} bytes: 1.8 KiB for W=32, C=8, H=32.
 */
public class KeyState {

    /** Short id (manifest SHA-256 prefix) of the model that built this state. */
    public String model;
    /** Events seen by this model for this key (kept across a model swap). */
    public long count;
    /** The key's standardisation: per-channel mean and standard deviation of its raw values. */
    public double[] nmean;
    public double[] nstd;
    /**
     * -1 once {@link #nmean}/{@link #nstd} are fixed; otherwise how many of the key's first events
     * have been used so far to estimate them (Welford: {@code nstd} holds the sum of squares meanwhile).
     */
    public int nsamples = -1;
    /** Ring buffer of the last W normalised vectors; {@link #head} is the next slot to write. */
    public float[] window;
    public int head;
    /** LSTM hidden state after the latest event. */
    public float[] h;
    /** LSTM cell state after the latest event. */
    public float[] c;
    /** The LSTM's prediction of the next event (normalised). */
    public float[] next;
    /**
     * Exponentially smoothed squared error per model and channel: LSTM channels first, then the
     * autoencoder's ({@code 2 * C} values).
     */
    public float[] esmooth;
    /** This key's mean and variance of log(smoothed error), per model and channel (as {@link #esmooth}). */
    public float[] emean;
    public float[] evar;
    /** Updates of the error statistics so far (drives the warm-up adaptation rate). */
    public long statsCount;
    /**
     * This key's peaks-over-threshold tail of its combined z (dynamic threshold): events counted, peaks
     * above the initial threshold among them, and the mean and mean square of those peaks' excesses.
     */
    public float potCount;
    public float potPeaks;
    public float potMean;
    public float potSq;
    /** Event time of the latest scored event. */
    public long lastEventTime;
    /** Id of the alert now open (null if none); the resolve carries the same id. */
    public String alertId;
    /** Event time of the event that opened the alert now open, or {@link Long#MIN_VALUE} if none. */
    public long alertOpenedAt = Long.MIN_VALUE;
    /** Highest score and z while the current alert is open. */
    public float alertPeak;
    public float alertPeakZ;
    /** Over-threshold events since the current alert opened. */
    public int alertEvents;
    /** Consecutive events under the threshold while an alert is open. */
    public int quietEvents;
    /** Consecutive events over the threshold while no alert is open, and when the run began. */
    public int hotEvents;
    public long hotSince;
    /** No new alert opens for this key before this event time (the cool-down after a resolve). */
    public long cooldownUntil = Long.MIN_VALUE;
    /**
     * The key's latest raw reading, when its model sees some channels as differences
     * ({@link Differencing}); null otherwise, and before the key's first reading.
     */
    public double[] prev;
    /**
     * The autoencoder's mean squared reconstruction error at its latest reconstruction of this key's
     * window; events between reconstructions (the bundle's {@code aeHop}) report it.
     */
    public float aeError;

    /**
     * The {@link Scorer}'s scratch while it scores one batch: how many of this key's events it has placed
     * so far. Not state: package-private and transient, so no serializer sees it.
     */
    transient int batchEvents;

    public KeyState() {}

    /** Approximate serialized size in bytes, for capacity planning and the state-size benchmark. */
    public int approximateBytes() {
        int floats = (window == null ? 0 : window.length) + (h == null ? 0 : h.length)
                + (c == null ? 0 : c.length) + (next == null ? 0 : next.length)
                + (esmooth == null ? 0 : 3 * esmooth.length);
        int doubles = (nmean == null ? 0 : nmean.length) + (nstd == null ? 0 : nstd.length)
                + (prev == null ? 0 : prev.length);
        return 4 * floats + 8 * doubles + 8 * 5 + 4 * 11 + (model == null ? 0 : model.length())
                + (alertId == null ? 0 : alertId.length()) + 16;
    }
}
