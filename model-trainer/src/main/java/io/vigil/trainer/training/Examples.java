package io.vigil.trainer.training;

import io.vigil.scoring.WindowLayout;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training examples cut from normalised segments (each a time-major {@code float[rows * C]}), kept as
 * references into the segments and materialised per mini-batch, so a large history is not copied
 * once per example.
 *
 * <ul>
 *   <li>{@link #sequences}: LSTM examples, features {@code [n, C, L]} and labels the same series one
 *       step later (predict x[t+1] from x[<=t]); a segment shorter than L + 1 rows gives one shorter,
 *       masked sequence.</li>
 *   <li>{@link #windows}: autoencoder examples, W consecutive vectors flattened oldest to newest,
 *       in the layout of {@link WindowLayout}, which the scorer uses too; label = input.</li>
 * </ul>
 */
public final class Examples {

    private enum Kind {
        SEQUENCE,
        WINDOW
    }

    private final Kind kind;
    private final List<float[]> segments;
    private final int channels;
    private final int span;
    private final int[] segment;
    private final int[] start;
    private final int[] length;

    private Examples(Kind kind, List<float[]> segments, int channels, int span, List<int[]> examples) {
        this.kind = kind;
        this.segments = List.copyOf(segments);
        this.channels = channels;
        this.span = span;
        this.segment = new int[examples.size()];
        this.start = new int[examples.size()];
        this.length = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            segment[i] = examples.get(i)[0];
            start[i] = examples.get(i)[1];
            length[i] = examples.get(i)[2];
        }
    }

    /**
     * LSTM sequences of {@code length} steps with stride {@code length / 2}, plus one aligned to each
     * segment's end so its last rows are used; segments under {@link TrainingConfig#MIN_SEGMENT_ROWS} rows are skipped.
     */
    public static Examples sequences(List<float[]> segments, int channels, int length) {
        List<int[]> out = new ArrayList<>();
        int stride = Math.max(1, length / 2);
        for (int s = 0; s < segments.size(); s++) {
            int rows = segments.get(s).length / channels;
            if (rows < TrainingConfig.MIN_SEGMENT_ROWS) {
                continue;
            }
            int steps = rows - 1; // the last row is only ever a target
            if (steps <= length) {
                out.add(new int[] {s, 0, steps});
                continue;
            }
            int from = 0;
            for (; from + length <= steps; from += stride) {
                out.add(new int[] {s, from, length});
            }
            if (from - stride + length < steps) {
                out.add(new int[] {s, steps - length, length});
            }
        }
        return new Examples(Kind.SEQUENCE, segments, channels, length, out);
    }

    /** Every window of {@code window} rows (stride 1), evenly subsampled to at most {@code max}. */
    public static Examples windows(List<float[]> segments, int channels, int window, int max) {
        long total = 0;
        for (float[] seg : segments) {
            total += Math.max(0, seg.length / channels - window + 1);
        }
        long stride = Math.max(1, (total + max - 1) / max);
        List<int[]> out = new ArrayList<>();
        long index = 0;
        for (int s = 0; s < segments.size(); s++) {
            int count = segments.get(s).length / channels - window + 1;
            for (int from = 0; from < count; from++, index++) {
                if (index % stride == 0) {
                    out.add(new int[] {s, from, window});
                }
            }
        }
        return new Examples(Kind.WINDOW, segments, channels, window, out);
    }

    public int size() {
        return segment.length;
    }

    /** Rows of the segments the examples cover (each counted once), for the training summary. */
    public long rowsCovered() {
        long rows = 0;
        for (float[] s : segments) {
            rows += s.length / channels;
        }
        return rows;
    }

    /**
     * Predicted time steps in examples {@code order[from, to)}: DL4J's loss for a sequence sums its
     * steps, so losses are divided by this to report the mean squared error per step (1 per window).
     */
    public long steps(int[] order, int from, int to) {
        if (kind == Kind.WINDOW) {
            return to - from;
        }
        long steps = 0;
        for (int k = from; k < to; k++) {
            steps += length[order == null ? k : order[k]];
        }
        return steps;
    }

    /** The examples {@code order[from, to)} as one DataSet (with masks when sequences differ in length). */
    public DataSet batch(int[] order, int from, int to) {
        return kind == Kind.SEQUENCE ? sequenceBatch(order, from, to) : windowBatch(order, from, to);
    }

    /** The examples {@code [from, to)} in their natural order. */
    public DataSet batch(int from, int to) {
        int[] order = new int[to - from];
        for (int i = 0; i < order.length; i++) {
            order[i] = from + i;
        }
        return batch(order, 0, order.length);
    }

    private DataSet sequenceBatch(int[] order, int from, int to) {
        int n = to - from;
        int steps = 0;
        boolean ragged = false;
        for (int k = from; k < to; k++) {
            steps = Math.max(steps, length[order[k]]);
        }
        for (int k = from; k < to; k++) {
            ragged |= length[order[k]] != steps;
        }
        int c = channels;
        float[] features = new float[n * c * steps];
        float[] labels = new float[n * c * steps];
        float[] mask = ragged ? new float[n * steps] : null;
        for (int i = 0; i < n; i++) {
            int e = order[from + i];
            float[] seg = segments.get(segment[e]);
            int base = start[e];
            for (int t = 0; t < length[e]; t++) {
                for (int j = 0; j < c; j++) {
                    // [n, C, L] in 'c' order: (i * C + j) * L + t
                    features[(i * c + j) * steps + t] = seg[(base + t) * c + j];
                    labels[(i * c + j) * steps + t] = seg[(base + t + 1) * c + j];
                }
                if (mask != null) {
                    mask[i * steps + t] = 1f;
                }
            }
        }
        long[] shape = {n, c, steps};
        if (mask == null) {
            return new DataSet(Nd4j.create(features, shape, 'c'), Nd4j.create(labels, shape, 'c'));
        }
        return new DataSet(
                Nd4j.create(features, shape, 'c'),
                Nd4j.create(labels, shape, 'c'),
                Nd4j.create(mask, new long[] {n, steps}, 'c'),
                Nd4j.create(mask.clone(), new long[] {n, steps}, 'c'));
    }

    private DataSet windowBatch(int[] order, int from, int to) {
        int n = to - from;
        int size = span * channels;
        float[] features = new float[n * size];
        for (int i = 0; i < n; i++) {
            int e = order[from + i];
            WindowLayout.fromRows(segments.get(segment[e]), start[e], span, channels, features, i * size);
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, size}, 'c'),
                Nd4j.create(features.clone(), new long[] {n, size}, 'c'));
    }
}
