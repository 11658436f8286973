package io.vigil.scoring;

/** The standard normal distribution function and its inverse, accurate in the tails. */
public final class Gaussian {

    private Gaussian() {}

    /**
     * P(Z <= z) for a standard normal Z, to about 1e-15 relative: Marsaglia's Taylor series near the
     * centre, a continued fraction for the upper tail, so scores keep their order far out.
     */
    public static double cdf(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        if (z > 3) {
            return 1.0 - continuedFraction(z);
        }
        if (z < -3) {
            return continuedFraction(-z);
        }
        double sum = z;
        double term = z;
        double previous = 0;
        double q = z * z;
        for (int i = 3; sum != previous; i += 2) {
            previous = sum;
            term *= q / i;
            sum += term;
        }
        return 0.5 + sum * Math.exp(-0.5 * q - 0.91893853320467274178);
    }

    /** P(Z > z), accurate far into the tail (where 1 - cdf(z) would round to 0). */
    public static double upperTail(double z) {
        return z > 3 ? continuedFraction(z) : 1.0 - cdf(z);
    }

    /** P(Z > x) for x > 3: phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated from the back. */
    private static double continuedFraction(double x) {
        double f = x;
        for (int k = 80; k >= 1; k--) {
            f = x + k / f;
        }
        return Math.exp(-0.5 * x * x - 0.91893853320467274178) / f;
    }

    /** The z with {@code cdf(z) == p}, for p in (0, 1) (Acklam's algorithm, relative error 1.2e-9). */
    public static double inverseCdf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
