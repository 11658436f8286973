package io.vigil.scoring;

/**
 * Everything Vigil remembers about one key between events; it lives in Flink keyed state (so it is
 * checkpointed and moves with its key on rescale) or, in the trainer, in a map. Public fields and a
 * no-argument constructor make it a Flink POJO, so fields can be added later without losing state.
 *
 * <p>About {@code 4 * (W*C + 2*H + C) + 64} bytes: 1.4 KiB for W=32, C=8, H=32.
 */
public class KeyState {

    /** Short id (manifest SHA-256 prefix) of the model that built this state. */
    public String model;
    /** Events seen by this model for this key (kept across a model swap). */
    public long count;
    /** Ring buffer of the last W normalised vectors; {@link #head} is the next slot to write. */
    public float[] window;
    public int head;
    /** LSTM hidden state after the latest event. */
    public float[] h;
    /** LSTM cell state after the latest event. */
    public float[] c;
    /** The LSTM's prediction of the next event (normalised). */
    public float[] next;
    /** Exponentially smoothed LSTM prediction error. */
    public float lstmSmooth;
    /** Exponentially smoothed autoencoder reconstruction error. */
    public float aeSmooth;
    /** This key's mean and variance of log(smoothed error), per model. */
    public float lstmMean;
    public float lstmVar;
    public float aeMean;
    public float aeVar;
    /** Updates of the error statistics so far (drives the warm-up adaptation rate). */
    public long statsCount;
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
    /** No new alert opens for this key before this event time (the cool-down after a resolve). */
    public long cooldownUntil = Long.MIN_VALUE;

    public KeyState() {}

    /** Approximate serialized size in bytes, for capacity planning and the state-size benchmark. */
    public int approximateBytes() {
        int floats = (window == null ? 0 : window.length) + (h == null ? 0 : h.length)
                + (c == null ? 0 : c.length) + (next == null ? 0 : next.length);
        return 4 * floats + 8 * 5 + 4 * 11 + (model == null ? 0 : model.length()) + 16;
    }
}
