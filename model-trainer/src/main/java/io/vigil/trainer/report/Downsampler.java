package io.vigil.trainer.report;

import java.util.Arrays;

/**
 * Picks the rows of a long series worth drawing: per pixel-wide bucket of x, the row with the lowest
 * and the row with the highest value (in time order), so a 20,000-row series becomes about two points
 * per pixel and a one-row spike still reaches its full height. Missing values (NaN) break the line.
 */
final class Downsampler {

    /** In the output of {@link #rows}: lift the pen here. */
    static final int GAP = -1;

    private Downsampler() {}

    /**
     * @param x each row's pixel position, non-decreasing
     * @param y each row's value, NaN where missing
     * @param bucket the bucket width in pixels
     * @return row indices in drawing order, with {@link #GAP} where the line must break
     */
    static int[] rows(double[] x, double[] y, double bucket) {
        int[] out = new int[Math.max(16, Math.min(x.length * 2 + 2, 4096))];
        int n = 0;
        long current = Long.MIN_VALUE;
        int lo = -1;
        int hi = -1;
        for (int i = 0; i <= x.length; i++) {
            boolean end = i == x.length;
            boolean missing = !end && Double.isNaN(y[i]);
            long b = end || missing ? Long.MIN_VALUE : (long) Math.floor(x[i] / bucket);
            if (lo >= 0 && (end || missing || b != current)) {
                if (n + 3 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = Math.min(lo, hi);
                if (lo != hi) {
                    out[n++] = Math.max(lo, hi);
                }
                lo = -1;
                hi = -1;
            }
            if (end) {
                break;
            }
            if (missing) {
                if (n > 0 && out[n - 1] != GAP) {
                    if (n + 1 > out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[n++] = GAP;
                }
                continue;
            }
            current = b;
            if (lo < 0) {
                lo = i;
                hi = i;
            } else {
                lo = y[i] < y[lo] ? i : lo;
                hi = y[i] > y[hi] ? i : hi;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
