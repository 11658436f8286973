package io.vigil.job.operator;

import io.vigil.job.io.SensorEvent;
import io.vigil.scoring.KeyState;
import java.util.Arrays;

/**
 * The readings released by the current watermark, with their keys' states, in parallel arrays as the
 * {@code Scorer} takes them. A key's readings are added together, as one run; {@code runStart} indexes
 * each run's first entry, so each key's state is written back once, and {@code runBefore} is the key's
 * latest event time before the run (0 for a new key), so its expiry timer is registered only when that
 * moves to a new slot.
 */
final class ScoringBatch {
    String[] keys;
    KeyState[] states;
    SensorEvent[] events;
    double[][] raw;
    long[] times;
    int[] runStart;
    long[] runBefore;
    int size;
    int runs;

    ScoringBatch(int capacity) {
        keys = new String[capacity];
        states = new KeyState[capacity];
        events = new SensorEvent[capacity];
        raw = new double[capacity][];
        times = new long[capacity];
        runStart = new int[capacity];
        runBefore = new long[capacity];
    }

    /** Adds one reading; {@code before} starts a new run (the key's latest event time), or is MIN_VALUE. */
    void add(String key, KeyState s, SensorEvent e, long before) {
        if (size == keys.length) {
            int c = keys.length * 2;
            keys = Arrays.copyOf(keys, c);
            states = Arrays.copyOf(states, c);
            events = Arrays.copyOf(events, c);
            raw = Arrays.copyOf(raw, c);
            times = Arrays.copyOf(times, c);
            runStart = Arrays.copyOf(runStart, c);
            runBefore = Arrays.copyOf(runBefore, c);
        }
        if (before != Long.MIN_VALUE) {
            runBefore[runs] = before;
            runStart[runs++] = size;
        }
        keys[size] = key;
        states[size] = s;
        events[size] = e;
        raw[size] = e.values;
        times[size] = e.eventTime;
        size++;
    }

    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(states, 0, size, null);
        Arrays.fill(events, 0, size, null);
        Arrays.fill(raw, 0, size, null);
        size = 0;
        runs = 0;
    }
}
