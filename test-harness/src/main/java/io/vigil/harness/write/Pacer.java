package io.vigil.harness.write;

import java.util.concurrent.locks.LockSupport;

/**
 * A writer's clock: started by its first record, it holds each record until the {@link Schedule} of a
 * paced write (a rate above 0) has it due, and says how long the write has taken.
 */
final class Pacer {

    private final double eventsPerSecond;
    private long startNanos = -1;
    private volatile Schedule schedule;

    /** {@code eventsPerSecond} 0: unpaced, as fast as the broker takes them. */
    Pacer(double eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Waits until record number {@code sent} (0-based) is due; the first call starts the clock. */
    void awaitTurn(long sent) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
            schedule = eventsPerSecond > 0 ? new Schedule(eventsPerSecond, startNanos) : null;
        }
        Schedule s = schedule;
        if (s != null) {
            long wait = s.waitNanos(sent, System.nanoTime());
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Since the first record, in milliseconds; 0 before it. */
    long elapsedMillis() {
        return startNanos < 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** How late the latest record was sent against the schedule, in milliseconds; 0 unpaced. */
    long behindMillis() {
        Schedule s = schedule;
        return s == null ? 0 : s.behindMillis();
    }

    /** The latest any record was sent against the schedule, in milliseconds; 0 unpaced. */
    long maxBehindMillis() {
        Schedule s = schedule;
        return s == null ? 0 : s.maxBehindMillis();
    }
}
