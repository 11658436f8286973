package io.vigil.trainer.evaluation.corpus;

/** A ground-truth anomaly window: the rows whose timestamp lies in [start, end], both ends inclusive (epoch milliseconds, UTC). */
public record Window(long start, long end) {

    public Window {
        if (end < start) {
            throw new IllegalArgumentException("window ends before it starts: [" + start + ", " + end + "]");
        }
    }

    public boolean contains(long timestamp) {
        return timestamp >= start && timestamp <= end;
    }
}
