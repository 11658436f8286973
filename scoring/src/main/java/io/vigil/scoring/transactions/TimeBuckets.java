package io.vigil.scoring.transactions;

import java.util.Arrays;

/**
 * Counts and sums of one key's events over a sliding event-time window, in {@code n} buckets of
 * {@code width} milliseconds: the newest bucket holds the current time, the oldest ends {@code n}
 * buckets back. Its size is fixed, whatever the number of events: the bounded state that stands in
 * for a list of every transaction. A window of {@code k} buckets covers between {@code k - 1} and
 * {@code k} widths of time. Events must come in event-time order (one that does not, which the
 * callers never send, is added to the newest bucket).
 */
public final class TimeBuckets {

    /** Bucket index of the newest bucket ({@code floor(time / width)}), or MIN_VALUE before the first event. */
    public long newest = Long.MIN_VALUE;

    public final int[] counts;
    public final float[] sums;
    private final long width;

    public TimeBuckets(int n, long width) {
        this.counts = new int[n];
        this.sums = new float[n];
        this.width = width;
    }

    /** Moves the window so its newest bucket holds {@code time}, emptying the buckets it leaves behind. */
    public void advance(long time) {
        long b = Math.floorDiv(time, width);
        if (newest == Long.MIN_VALUE || b - newest >= counts.length) {
            clear();
        } else if (b > newest) {
            int i = slot(-1);
            for (long k = newest + 1; k <= b; k++) {
                counts[i] = 0;
                sums[i] = 0;
                if (++i == counts.length) {
                    i = 0;
                }
            }
        }
        if (b > newest) {
            newest = b;
        }
    }

    /** Adds one event at {@code time} (after {@link #advance} to it). */
    public void add(long time, double amount) {
        advance(time);
        int i = (int) Math.floorMod(newest, (long) counts.length);
        counts[i]++;
        sums[i] += (float) amount;
    }

    /** Events in the newest {@code k} buckets. */
    public int count(int k) {
        int n = 0;
        for (int j = 0, i = slot(0); j < k; j++) {
            n += counts[i];
            if (--i < 0) {
                i = counts.length - 1;
            }
        }
        return n;
    }

    /** Sum of the amounts in the newest {@code k} buckets, newest first. */
    public double sum(int k) {
        double s = 0;
        for (int j = 0, i = slot(0); j < k; j++) {
            s += sums[i];
            if (--i < 0) {
                i = sums.length - 1;
            }
        }
        return s;
    }

    private int slot(int back) {
        return (int) Math.floorMod(newest - back, (long) counts.length);
    }

    public void clear() {
        Arrays.fill(counts, 0);
        Arrays.fill(sums, 0);
        newest = Long.MIN_VALUE;
    }

    /** Bytes of state. */
    public int bytes() {
        return 8 + 8 * counts.length;
    }
}
