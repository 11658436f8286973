package io.vigil.scoring.engine;

/**
 * Runs both networks over a batch of independent streams (one event per stream per call). Arrays are
 * flat and row-major: stream k's input is {@code x[k*C, (k+1)*C)}, its LSTM state
 * {@code h[k*H, (k+1)*H)}. An engine holds per-call scratch space and is used by one thread.
 */
public interface InferenceEngine extends AutoCloseable {

    /**
     * Steps {@code n} LSTM streams by one event each: {@code h} and {@code c} hold each stream's
     * state before the event and are overwritten with the state after it; {@code next} receives each
     * stream's prediction of its next event.
     */
    void lstmStep(int n, float[] x, float[] h, float[] c, float[] next);

    /** Reconstructs {@code n} flattened windows ({@code W*C} values each) into {@code out}. */
    void reconstruct(int n, float[] windows, float[] out);

    @Override
    default void close() {}
}
