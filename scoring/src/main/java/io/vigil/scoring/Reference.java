package io.vigil.scoring;

/**
 * A key's memory of how large its evidence statistic usually is, and how surprising a new value is
 * against it: a histogram of {@code y = ln(statistic)} with exponential forgetting, read as a
 * conformal p-value.
 *
 * <p>For a new value y the tail probability is {@code (mass above y + t(y)) / (mass + 1)}: the share of
 * the remembered values at least as large, counting the new value itself once (the "+1" of a conformal
 * p-value, which makes {@code P(p <= a) <= a} for any a on data like the remembered, whatever its scale
 * or shape). {@code t(y)} is that one count, spread smoothly past the largest remembered values: 1 up
 * to them (0.88 at their edge), then falling by a factor e every {@link #TAIL_SCALE} of y. So the probability keeps falling
 * beyond everything seen instead of stopping at {@code 1 / (mass + 1)}, and it is strictly decreasing in
 * y everywhere: no two different values tie. Within a bin the mass is taken as spread evenly: in a
 * falling tail that overstates the mass above a value, so the surprise there errs low (a promise of
 * 10^-s false alarms is kept, with room to spare at the top of the remembered range; ReferenceTest).
 *
 * <p>A histogram is a {@code float[}{@link #SIZE}{@code ]}: an underflow bin, {@link #BINS} bins of
 * width {@link #WIDTH} from {@link #LOW}, an overflow bin. It is kept in the key's state, so this class
 * only holds the arithmetic.
 */
public final class Reference {

    /** Bins over y between the under- and overflow bins. */
    public static final int BINS = 40;
    /** Floats in a histogram. */
    public static final int SIZE = BINS + 2;
    /**
     * Lower edge of the first bin, in ln units of the statistic (1e-3 of the typical error: calmer counts as
     * this calm). With {@link #BINS} and {@link #WIDTH} the bins reach e^23, ten billion times the typical
     * error: bursty keys (disk writes, network bytes) reach a million times it in normal operation.
     */
    public static final double LOW = -7;
    /** Width of a bin: a factor e^0.75 = 2.1 in the statistic. */
    public static final double WIDTH = 0.75;
    /** How fast the one count of the new value falls off past the remembered values, in ln units. */
    public static final double TAIL_SCALE = 1.0;
    /** Mass below which a bin counts as empty when locating the largest remembered values. */
    private static final double EMPTY = 0.5;
    /**
     * Where the own count stands at the edge of the remembered values, in units of {@link #TAIL_SCALE}:
     * {@code 1 / (1 + e^-2)} = 0.88 of a count, about the "+1" a new largest value earns.
     */
    private static final double OWN_OFFSET = 2;

    private Reference() {}

    /** The bin of y: 0 for underflow, 1..BINS, BINS + 1 for overflow. */
    public static int bin(double y) {
        if (!(y >= LOW)) {
            return 0; // also NaN: a NaN statistic cannot happen (errors are floored), but must not index out
        }
        double b = (y - LOW) / WIDTH;
        return b >= BINS ? BINS + 1 : 1 + (int) b;
    }

    /** A fresh histogram holding {@code prior} (any scale) rescaled to a total mass of {@code weight}. */
    public static float[] start(float[] prior, double weight) {
        float[] h = new float[SIZE];
        double total = 0;
        for (float v : prior) {
            total += v;
        }
        if (total > 0) {
            for (int i = 0; i < SIZE; i++) {
                h[i] = (float) (prior[i] * weight / total);
            }
        }
        return h;
    }

    /** The total remembered mass. */
    public static double mass(float[] h) {
        double m = 0;
        for (float v : h) {
            m += v;
        }
        return m;
    }

    /** Surprise of y: {@code -log10} of its conformal tail probability, see the class comment. */
    public static double surprise(float[] h, double y) {
        int k = bin(y);
        double total = 0;
        double above = 0;
        int top = 0; // highest bin with mass, where the spread-out count starts to fall
        for (int i = 0; i < SIZE; i++) {
            total += h[i];
            if (i > k) {
                above += h[i];
            }
            if (h[i] >= EMPTY) {
                top = i;
            }
        }
        double edge = top == 0 ? LOW : LOW + Math.min(top, BINS) * WIDTH;
        double own = 1 / (1 + Math.exp((y - edge) / TAIL_SCALE - OWN_OFFSET));
        if (k >= 1 && k <= BINS) {
            above += h[k] * (LOW + k * WIDTH - y) / WIDTH; // the bin's mass taken as spread evenly
        } else if (k == 0) {
            above += h[0]; // everything below the range counts as at least as large: no surprise there
        } else {
            above += h[k] * own; // past the range, the overflow's mass falls off as the own count does
        }
        double p = (above + own) / (total + 1);
        return -Math.log10(Math.min(1, p));
    }

    /** Remembers y with the given weight; everything remembered fades by {@code lambda^weight} first. */
    public static void learn(float[] h, double y, double weight, double lambda) {
        if (weight <= 0) {
            return;
        }
        float fade = (float) Math.pow(lambda, weight);
        for (int i = 0; i < SIZE; i++) {
            h[i] *= fade;
        }
        h[bin(y)] += (float) weight;
    }

    /** The fade per remembered event for a half-life in events. */
    public static double lambda(double halfLife) {
        return Math.pow(0.5, 1.0 / halfLife);
    }
}
