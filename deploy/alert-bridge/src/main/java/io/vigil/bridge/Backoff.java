package io.vigil.bridge;

import java.time.Duration;

/** Waits between retries: {@code initial}, doubling after every failure up to {@code max}; back to initial after a success. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait before the next attempt, after one more failure. */
    Duration next() {
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return wait;
    }

    void reset() {
        next = initial;
    }
}
