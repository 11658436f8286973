package io.vigil.trainer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A linear map from data to pixels, and the "nice" ticks (1, 2, 5 x 10^k) of a value axis. */
record Scale(double d0, double d1, double r0, double r1) {

    Scale {
        if (!(d1 > d0)) {
            throw new IllegalArgumentException("A scale's domain must be increasing, is [" + d0 + ", " + d1 + "]");
        }
    }

    double apply(double v) {
        return r0 + (v - d0) * (r1 - r0) / (d1 - d0);
    }

    /** A domain covering [lo, hi] with a little room, widened when the values are all equal. */
    static Scale padded(double lo, double hi, double r0, double r1) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return new Scale(0, 1, r0, r1);
        }
        if (hi - lo <= Math.abs(hi) * 1e-12) {
            double half = lo == 0 ? 1 : Math.abs(lo) * 0.05;
            return new Scale(lo - half, hi + half, r0, r1);
        }
        double pad = (hi - lo) * 0.06;
        return new Scale(lo - pad, hi + pad, r0, r1);
    }

    /** About {@code target} tick values inside the domain, on a 1-2-5 step. */
    List<Double> ticks(int target) {
        double step = step(d1 - d0, target);
        List<Double> out = new ArrayList<>();
        long first = (long) Math.ceil(d0 / step - 1e-9);
        long last = (long) Math.floor(d1 / step + 1e-9);
        for (long k = first; k <= last; k++) {
            out.add(k * step); // from the index, so steps do not accumulate rounding
        }
        return out;
    }

    /** The labels of {@link #ticks(int)}, all with the decimals the step needs. */
    List<String> labels(List<Double> ticks) {
        double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : Math.abs(d1 - d0);
        double max = 0;
        for (double t : ticks) {
            max = Math.max(max, Math.abs(t));
        }
        List<String> out = new ArrayList<>();
        for (double t : ticks) {
            out.add(label(t, step, max));
        }
        return out;
    }

    static double step(double span, int target) {
        double raw = span / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private static String label(double v, double step, double max) {
        if (max >= 1e6 || (max > 0 && max < 1e-3)) {
            return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e").replace("e-0", "e-");
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
