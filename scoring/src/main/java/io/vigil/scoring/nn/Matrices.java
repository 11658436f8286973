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
     * the output starts at 0 so that the inner loop is a plain {@code out[j] += ... * wi[j]} that C2
     * turns into SIMD code: on JDK 17 a flat {@code w[row + j]} with an offset output stays scalar,
     * about 3x slower (measured in EngineBenchmark, docs/benchmarks.md). Four rows at a time, so
     * {@code out} is loaded and stored once per four rows; four zero inputs in a row (ReLU outputs)
     * are skipped.
     */
    static void accumulate(float[] x, int xOff, float[][] w, float[] out, int cols) {
        int rows = w.length;
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            float x0 = x[xOff + i];
            float x1 = x[xOff + i + 1];
            float x2 = x[xOff + i + 2];
            float x3 = x[xOff + i + 3];
            if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) {
                continue;
            }
            float[] w0 = w[i];
            float[] w1 = w[i + 1];
            float[] w2 = w[i + 2];
            float[] w3 = w[i + 3];
            for (int j = 0; j < cols; j++) {
                out[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
            }
        }
        for (; i < rows; i++) {
            float xi = x[xOff + i];
            float[] wi = w[i];
            for (int j = 0; j < cols; j++) {
                out[j] += xi * wi[j];
            }
        }
    }

    /**
     * {@link #accumulate(float[], int, float[][], float[], int)} for {@code m} inputs at once:
     * {@code out[b][0, cols) += sum_i x[b][i] * w[i][0, cols)}, four weight rows at a time, each group
     * of rows applied to every input before the next is read.
     */
    static void accumulate(float[][] x, int m, float[][] w, float[][] out, int cols) {
        int rows = w.length;
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            float[] w0 = w[i];
            float[] w1 = w[i + 1];
            float[] w2 = w[i + 2];
            float[] w3 = w[i + 3];
            for (int b = 0; b < m; b++) {
                float[] xb = x[b];
                float x0 = xb[i];
                float x1 = xb[i + 1];
                float x2 = xb[i + 2];
                float x3 = xb[i + 3];
                if (x0 == 0f && x1 == 0f && x2 == 0f && x3 == 0f) {
                    continue;
                }
                float[] o = out[b];
                for (int j = 0; j < cols; j++) {
                    o[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
                }
            }
        }
        for (; i < rows; i++) {
            float[] wi = w[i];
            for (int b = 0; b < m; b++) {
                float xi = x[b][i];
                float[] o = out[b];
                for (int j = 0; j < cols; j++) {
                    o[j] += xi * wi[j];
                }
            }
        }
    }
}
