package io.vigil.job.operator;

import java.util.Arrays;

/**
 * The held readings of one subtask as (event time, holder), earliest first: a binary min-heap on two
 * parallel arrays, so indexing a reading allocates nothing. The holder is what the operator needs to
 * find the reading again: its key's held readings.
 *
 * <p>It is an index, not state: {@link ScoringOperator} rebuilds it from keyed state when it is
 * restored. An entry may outlive the reading it was made for (its key released it together with an
 * earlier one, or expired); the operator treats such an entry as a key with nothing due.
 */
final class ReleaseQueue<T> {

    private long[] times;
    private Object[] keys;
    private int size;

    ReleaseQueue(int capacity) {
        times = new long[Math.max(1, capacity)];
        keys = new Object[times.length];
    }

    void add(long time, T key) {
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

    /** The holder of the earliest entry; only when not {@link #isEmpty()}. */
    @SuppressWarnings("unchecked")
    T peekKey() {
        return (T) keys[0];
    }

    /** Removes the earliest entry. */
    void poll() {
        int last = --size;
        long time = times[last];
        Object key = keys[last];
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
