package io.vigil.harness.write;

/**
 * When the n-th reading of a paced write is due: {@code start + n / rate}. A writer that falls behind (its
 * own thread too slow, or starved of CPU) does not skip readings: it sends the late ones as fast as it can
 * until it is on schedule again, so its consumers see a burst. How far behind it is, now and at worst, is
 * kept, so a benchmark can tell a steady load from one that was not.
 */
final class Schedule {

    private final double eventsPerSecond;
    private final long startNanos;
    private volatile long behindNanos;
    private volatile long maxBehindNanos;

    Schedule(double eventsPerSecond, long startNanos) {
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("a schedule needs a positive rate, got " + eventsPerSecond);
        }
        this.eventsPerSecond = eventsPerSecond;
        this.startNanos = startNanos;
    }

    /** Nanoseconds to wait before sending reading number {@code sent} (0-based) at {@code nowNanos}; 0 if late. */
    long waitNanos(long sent, long nowNanos) {
        long due = startNanos + (long) (sent * 1e9 / eventsPerSecond);
        long behind = Math.max(0, nowNanos - due);
        behindNanos = behind;
        if (behind > maxBehindNanos) {
            maxBehindNanos = behind;
        }
        return Math.max(0, due - nowNanos);
    }

    /** How late the latest reading was sent, in milliseconds. */
    long behindMillis() {
        return behindNanos / 1_000_000;
    }

    /** The latest any reading was sent, in milliseconds. */
    long maxBehindMillis() {
        return maxBehindNanos / 1_000_000;
    }
}
