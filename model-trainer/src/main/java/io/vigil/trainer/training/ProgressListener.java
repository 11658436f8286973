package io.vigil.trainer.training;

import java.io.PrintWriter;

/** Receives training progress: one call per epoch of each network, and a line per phase of the run. */
public interface ProgressListener {

    void onEpoch(EpochProgress progress);

    /** A phase starts or ends, e.g. "calibrating on 2,400 validation rows". */
    default void onPhase(String message) {}

    /** Discards everything. */
    static ProgressListener silent() {
        return progress -> {};
    }

    /** Prints every epoch and phase as a line to {@code out} (flushed, so progress shows as it happens). */
    static ProgressListener printingTo(PrintWriter out) {
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochProgress progress) {
                out.println(progress.format());
                out.flush();
            }

            @Override
            public void onPhase(String message) {
                out.println(message);
                out.flush();
            }
        };
    }
}
