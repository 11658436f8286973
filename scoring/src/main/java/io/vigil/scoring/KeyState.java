package io.vigil.scoring;

/**
 * Everything Vigil remembers about one key between events, in four parts, each with one owner: the
 * key's {@link Standardisation} ({@link Normaliser}), the networks' {@link Memory} ({@link Scorer}),
 * its {@link References} of normal evidence ({@link SurpriseScore}) and its alert {@link Episode}
 * ({@link AlertLifecycle}). It lives in Flink keyed state (checkpointed, moving with its key on rescale)
 * or, in the trainer, in a map. The job writes it with its own versioned serializer
 * ({@code io.vigil.job.state.KeyStateSerializer}): a field added here is added there, with a new format.
 *
 * <p>About {@code 4 * (W*C + 2*H + 5*C + 2*42) + 16*C + 80} bytes: 2.0 KiB for W=32, C=8, H=32.
 */
public final class KeyState {

    /** Short id (manifest SHA-256 prefix) of the model that built this state. */
    public String model;
    /** Events this key has seen (kept across a model swap). */
    public long count;
    /** Event time of the latest scored event. */
    public long lastEventTime;

    public final Standardisation standardisation = new Standardisation();
    public final Memory memory = new Memory();
    public final References references = new References();
    public final Episode episode = new Episode();

    /**
     * The {@link Scorer}'s scratch while it scores one batch: how many of this key's events it has placed
     * so far. Not state: package-private and transient, so no serializer sees it.
     */
    transient int batchEvents;

    /** The key's standardisation: per channel, the mean and standard deviation of its raw inputs. */
    public static final class Standardisation {
        public double[] mean;
        public double[] std;
        /**
         * -1 once {@link #mean}/{@link #std} are fixed; otherwise how many of the key's first events have
         * been used so far to estimate them (Welford: {@code std} holds the sum of squares meanwhile).
         */
        public int samples = -1;
    }

    /** What the networks carry from one event of the key to the next. */
    public static final class Memory {
        /** Ring buffer of the last W standardised vectors; {@link #head} is the next slot to write. */
        public float[] window;

        public int head;
        /** LSTM hidden and cell state after the latest event. */
        public float[] h;

        public float[] c;
        /** The LSTM's prediction of the next standardised vector. */
        public float[] next;
        /**
         * The key's latest raw reading, when its model sees some channels as differences
         * ({@link Differencing}); null otherwise, and before the key's first reading.
         */
        public double[] previous;
        /**
         * Per channel, the autoencoder's squared reconstruction error at its latest reconstruction of the
         * window, relative to the channel's error scale; events between reconstructions (the bundle's
         * {@code aeHop}) use it.
         */
        public float[] aeRatios;
    }

    /** The key's remembered evidence, see {@link SurpriseScore}. */
    public static final class References {
        /** Every event's evidence, fading: what the key has been doing lately ({@link Reference}). */
        public float[] adaptive;
        /** The evidence of events while the key was normal (no alert open): what it is when all is well. */
        public float[] normal;
        /** Per channel, the smoothed error ratio of the LSTM, then of the autoencoder. */
        public float[] smoothed;
        /**
         * Per channel whose unusually small errors count (the bundle's {@code lowerTail}), the smoothed
         * LSTM error ratio; null for a model without such channels.
         */
        public float[] calm;
    }

    /** The key's alert, see {@link AlertLifecycle}. */
    public static final class Episode {
        /** Id of the alert now open (null if none); the resolve carries the same id. */
        public String alertId;
        /** Event time of the event the open alert's evidence started at, or {@link Long#MIN_VALUE}. */
        public long openedAt = Long.MIN_VALUE;
        /** Highest score and surprise while the current alert is open. */
        public float peakScore;

        public float peakSurprise;
        /** Events over the threshold since the current alert opened. */
        public int anomalousEvents;
        /** Events since the current alert opened. */
        public int openEvents;
        /** Consecutive events back to normal while an alert is open. */
        public int quietEvents;
        /** Accumulated excess surprise of the current run while no alert is open, and when the run began. */
        public float evidence;

        public long evidenceSince;
        /** No new alert opens for this key before this event time (the cool-down after a resolve). */
        public long cooldownUntil = Long.MIN_VALUE;

        public boolean open() {
            return openedAt != Long.MIN_VALUE;
        }
    }

    /** Approximate serialized size in bytes, for capacity planning and the state-size benchmark. */
    public int approximateBytes() {
        int floats = length(memory.window)
                + length(memory.h)
                + length(memory.c)
                + length(memory.next)
                + length(memory.aeRatios)
                + length(references.adaptive)
                + length(references.normal)
                + length(references.calm)
                + length(references.smoothed);
        int doubles = length(standardisation.mean) + length(standardisation.std) + length(memory.previous);
        return 4 * floats
                + 8 * doubles
                + 8 * 6
                + 4 * 8
                + (model == null ? 0 : model.length())
                + (episode.alertId == null ? 0 : episode.alertId.length());
    }

    private static int length(float[] a) {
        return a == null ? 0 : a.length;
    }

    private static int length(double[] a) {
        return a == null ? 0 : a.length;
    }
}
