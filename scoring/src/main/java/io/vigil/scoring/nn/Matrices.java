package io.vigil.scoring.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies DL4J parameter arrays into plain row-major float arrays once, at load time. */
final class Matrices {

    private Matrices() {}

    /** A [rows, cols] parameter (or a [1, cols] bias) as a row-major float array. */
    static float[] rowMajor(INDArray a) {
        long rows = a.rank() == 1 ? 1 : a.size(0);
        long cols = a.rank() == 1 ? a.length() : a.size(1);
        float[] out = new float[Math.toIntExact(rows * cols)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[(int) (r * cols + c)] = a.rank() == 1 ? a.getFloat(c) : a.getFloat(r, c);
            }
        }
        return out;
    }

    /** A [rows, cols] parameter as one float array per row (see {@link #accumulate}). */
    static float[][] rows(INDArray a) {
        float[] flat = rowMajor(a);
        int rows = a.rank() == 1 ? 1 : Math.toIntExact(a.size(0));
        int cols = flat.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /**
     * {@code out[0, cols) += sum_i x[xOff+i] * w[i][0, cols)}. The weights are one array per row and
     * the output starts at 0 so that the inner loop is the plain {@code out[j] += xi * wi[j]} that C2
     * turns into SIMD code: on JDK 17 a flat {@code w[row + j]} with an offset output stays scalar,
     * about 3x slower (measured in EngineBenchmark, docs/benchmarks.md).
     */
    static void accumulate(float[] x, int xOff, float[][] w, float[] out, int cols) {
        for (int i = 0; i < w.length; i++) {
            float xi = x[xOff + i];
            float[] wi = w[i];
            for (int j = 0; j < cols; j++) {
                out[j] += xi * wi[j];
            }
        }
    }
}
