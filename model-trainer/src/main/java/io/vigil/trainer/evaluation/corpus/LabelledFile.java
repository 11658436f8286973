package io.vigil.trainer.evaluation.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One benchmark file: row timestamps, ground truth (per-row labels and windows) and a detector's output.
 *
 * <p>The detector's output is anomaly scores in [0, 1] and/or its own binary verdicts, one per row.
 *
 * <p>Timestamps are epoch milliseconds (UTC), one per row, in row order; they should increase strictly.
 * Give the ground truth either way and the other is derived: windows from labels are the contiguous runs
 * of true rows, labels from windows are the rows whose timestamp lies in some window. When both are given
 * both are kept as given: {@link SkabMetrics} reads the labels, {@link NabScorer} and {@link WindowMetrics}
 * read the windows. The order of {@code windows} is kept (NAB's rules open windows in list order).
 * {@code scores} and {@code predicted} may be null (not produced). Arrays are copied in and out.
 */
public record LabelledFile(
        String name, long[] timestamps, boolean[] labels, List<Window> windows, double[] scores, boolean[] predicted) {

    public LabelledFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamps, "timestamps");
        if (labels == null && windows == null) {
            throw new IllegalArgumentException(name + ": give per-row labels or windows (or both)");
        }
        timestamps = timestamps.clone();
        int n = timestamps.length;
        checkLength(name, "labels", labels == null ? n : labels.length, n);
        checkLength(name, "scores", scores == null ? n : scores.length, n);
        checkLength(name, "predicted", predicted == null ? n : predicted.length, n);
        windows = windows == null ? windowsFromLabels(timestamps, labels) : List.copyOf(windows);
        labels = labels == null ? labelsFromWindows(timestamps, windows) : labels.clone();
        scores = scores == null ? null : scores.clone();
        predicted = predicted == null ? null : predicted.clone();
    }

    private static void checkLength(String name, String what, int length, int rows) {
        if (length != rows) {
            throw new IllegalArgumentException(name + ": " + length + " " + what + " for " + rows + " rows");
        }
    }

    /** Ground truth as windows (NAB style); labels derived, no detector output yet. */
    public static LabelledFile ofWindows(String name, long[] timestamps, List<Window> windows) {
        return new LabelledFile(name, timestamps, null, Objects.requireNonNull(windows, "windows"), null, null);
    }

    /** Ground truth as per-row labels (SKAB style); windows derived, no detector output yet. */
    public static LabelledFile ofLabels(String name, long[] timestamps, boolean[] labels) {
        return new LabelledFile(name, timestamps, Objects.requireNonNull(labels, "labels"), null, null, null);
    }

    /** The same file and ground truth with these anomaly scores (one per row). */
    public LabelledFile withScores(double[] newScores) {
        return new LabelledFile(name, timestamps, labels, windows, newScores, predicted);
    }

    /** The same file and ground truth with these binary verdicts (one per row). */
    public LabelledFile withPredicted(boolean[] newPredicted) {
        return new LabelledFile(name, timestamps, labels, windows, scores, newPredicted);
    }

    public int size() {
        return timestamps.length;
    }

    @Override
    public long[] timestamps() {
        return timestamps.clone();
    }

    @Override
    public boolean[] labels() {
        return labels.clone();
    }

    /** The anomaly scores, or null when none were given. */
    @Override
    public double[] scores() {
        return scores == null ? null : scores.clone();
    }

    /** The detector's own verdicts, or null when none were given. */
    @Override
    public boolean[] predicted() {
        return predicted == null ? null : predicted.clone();
    }

    /** Rows whose score is at least {@code threshold}; needs scores. */
    public boolean[] predictedAt(double threshold) {
        if (scores == null) {
            throw new IllegalStateException(name + " has no scores");
        }
        boolean[] out = new boolean[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] >= threshold;
        }
        return out;
    }

    /** The detector's verdicts; needs them. */
    boolean[] requirePredicted() {
        if (predicted == null) {
            throw new IllegalStateException(
                    name + " has no binary predictions (give a threshold on the scores instead)");
        }
        return predicted.clone();
    }

    /** Windows from per-row labels: each maximal run of true rows is [its first row's timestamp, its last row's]. */
    public static List<Window> windowsFromLabels(long[] timestamps, boolean[] labels) {
        if (timestamps.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + timestamps.length + " rows");
        }
        List<Window> out = new ArrayList<>();
        int i = 0;
        while (i < labels.length) {
            if (!labels[i]) {
                i++;
                continue;
            }
            int first = i;
            while (i < labels.length && labels[i]) {
                i++;
            }
            out.add(new Window(timestamps[first], timestamps[i - 1]));
        }
        return List.copyOf(out);
    }

    /** Per-row labels from windows: a row is anomalous when its timestamp lies in some window. */
    public static boolean[] labelsFromWindows(long[] timestamps, List<Window> windows) {
        boolean[] out = new boolean[timestamps.length];
        for (int i = 0; i < out.length; i++) {
            for (Window w : windows) {
                if (w.contains(timestamps[i])) {
                    out[i] = true;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Each window as the rows it covers, [first row, last row] (row indexes), in window order; a window that
     * covers no row is left out.
     */
    List<int[]> windowRows() {
        List<int[]> out = new ArrayList<>();
        for (Window w : windows) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < timestamps.length; i++) {
                if (w.contains(timestamps[i])) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            if (first >= 0) {
                out.add(new int[] {first, last});
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledFile f
                && name.equals(f.name)
                && Arrays.equals(timestamps, f.timestamps)
                && Arrays.equals(labels, f.labels)
                && windows.equals(f.windows)
                && Arrays.equals(scores, f.scores)
                && Arrays.equals(predicted, f.predicted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name,
                Arrays.hashCode(timestamps),
                Arrays.hashCode(labels),
                windows,
                Arrays.hashCode(scores),
                Arrays.hashCode(predicted));
    }

    @Override
    public String toString() {
        return "LabelledFile[" + name + ", " + timestamps.length + " rows, " + windows.size() + " windows"
                + (scores == null ? "" : ", scores") + (predicted == null ? "" : ", predicted") + "]";
    }
}
