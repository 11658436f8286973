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

    /** {@code out[oOff, oOff+cols) += sum_i x[xOff+i] * w[i, :]} for a row-major [rows, cols] w. */
    static void accumulate(float[] x, int xOff, int rows, float[] w, int cols, float[] out, int oOff) {
        for (int i = 0; i < rows; i++) {
            float xi = x[xOff + i];
            if (xi == 0f) {
                continue;
            }
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                out[oOff + j] += xi * w[row + j];
            }
        }
    }
}
