package io.vigil.harness.generate;

import java.util.Arrays;

/** Small statistics over signal windows, for asserting what the generator's anomalies do. */
final class SignalStats {

    private SignalStats() {}

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    static double variance(double[] x) {
        double m = mean(x);
        return Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / x.length;
    }

    static double std(double[] x) {
        return Math.sqrt(variance(x));
    }

    static double correlation(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Multiple correlation of {@code y} with the columns of {@code xs} (least squares with intercept):
     * how well the other channels explain this one. 1 = fully, near 0 = not at all.
     */
    static double multipleCorrelation(double[] y, double[][] xs) {
        int n = y.length;
        int k = xs.length + 1;
        double[][] design = new double[n][k];
        for (int i = 0; i < n; i++) {
            design[i][0] = 1;
            for (int j = 0; j < xs.length; j++) {
                design[i][j + 1] = xs[j][i];
            }
        }
        double[] beta = leastSquares(design, y);
        double[] fitted = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                fitted[i] += design[i][j] * beta[j];
            }
        }
        double r2 = 1 - sumSquaredDiff(y, fitted) / (variance(y) * n);
        return Math.sqrt(Math.max(0, r2));
    }

    /**
     * The period (in events) of the sinusoid that best explains {@code y} beside a linear trend,
     * searched on a fine grid between {@code minPeriod} and {@code maxPeriod}.
     */
    static double dominantPeriod(double[] y, double minPeriod, double maxPeriod) {
        int n = y.length;
        double best = Double.NaN;
        double bestResidual = Double.POSITIVE_INFINITY;
        for (double period = minPeriod; period <= maxPeriod; period *= 1.01) {
            double[][] design = new double[n][4];
            for (int t = 0; t < n; t++) {
                design[t][0] = 1;
                design[t][1] = t;
                design[t][2] = Math.sin(2 * Math.PI * t / period);
                design[t][3] = Math.cos(2 * Math.PI * t / period);
            }
            double[] beta = leastSquares(design, y);
            double residual = 0;
            for (int t = 0; t < n; t++) {
                double fit = beta[0] + beta[1] * t + beta[2] * design[t][2] + beta[3] * design[t][3];
                residual += (y[t] - fit) * (y[t] - fit);
            }
            if (residual < bestResidual) {
                bestResidual = residual;
                best = period;
            }
        }
        return best;
    }

    private static double sumSquaredDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    /** Solves the normal equations with Gaussian elimination (partial pivoting); k is tiny here. */
    private static double[] leastSquares(double[][] x, double[] y) {
        int k = x[0].length;
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    a[r][c] += row[r] * row[c];
                }
                a[r][k] += row[r] * y[i];
            }
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < k; r++) {
                if (r != col && a[col][col] != 0) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= k; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] beta = new double[k];
        for (int r = 0; r < k; r++) {
            beta[r] = a[r][r] == 0 ? 0 : a[r][k] / a[r][r];
        }
        return beta;
    }
}
