package io.vigil.job.scoring;

import java.util.Arrays;

/**
 * The held readings of one subtask as (event time, key), earliest first: a binary min-heap on two
 * parallel arrays, so indexing a reading allocates nothing.
 *
 * <p>It is an index, not state: {@link ScoringOperator} keeps the readings themselves in keyed state
 * (checkpointed, rescalable) and rebuilds this from it when it is restored. An entry may outlive the
 * reading it was made for (its key released it together with an earlier one, or expired); the operator
 * treats such an entry as a key with nothing due.
 */
final class ReleaseQueue {

    private long[] times;
    private String[] keys;
    private int size;

    ReleaseQueue(int capacity) {
        times = new long[Math.max(1, capacity)];
        keys = new String[times.length];
    }

    void add(long time, String key) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            times[i] = times[parent];
            keys[i] = keys[parent];
            i = parent;
        }
        times[i] = time;
        keys[i] = key;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest event time held; only when not {@link #isEmpty()}. */
    long peekTime() {
        return times[0];
    }

    /** The key of the earliest entry; only when not {@link #isEmpty()}. */
    String peekKey() {
        return keys[0];
    }

    /** Removes the earliest entry. */
    void poll() {
        int last = --size;
        long time = times[last];
        String key = keys[last];
        keys[last] = null;
        if (last == 0) {
            return;
        }
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && times[right] < times[child]) {
                child = right;
            }
            if (time <= times[child]) {
                break;
            }
            times[i] = times[child];
            keys[i] = keys[child];
            i = child;
        }
        times[i] = time;
        keys[i] = key;
    }
}
