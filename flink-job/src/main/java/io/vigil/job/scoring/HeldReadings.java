package io.vigil.job.scoring;

import io.vigil.job.io.SensorEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;

/**
 * The readings of one subtask's keys that wait for the watermark, and the index of which keys a
 * watermark releases. Held readings live in memory, per key, and are written to keyed state
 * ({@code vigil-pending}) only when a checkpoint is taken, for the keys whose held readings changed since
 * the last one: most readings are released before any checkpoint sees them, so nothing per reading
 * touches the state backend. On restore both are rebuilt from {@code vigil-pending}, which therefore holds,
 * at every checkpoint, exactly the readings not yet scored.
 */
final class HeldReadings {

    /** Makes a key the current one, so {@link #pending} reads and writes that key's copy. */
    interface KeySwitch {
        void setCurrentKey(String key);
    }

    /** Receives one key's readings due at a watermark, oldest first; valid during the call. */
    interface DueSink {
        void accept(String key, List<SensorEvent> due) throws Exception;
    }

    private static final int MAX_SPARE = 4096;

    private final ListState<SensorEvent> pending;
    private final KeySwitch keys;
    private final Map<String, Held> held = new HashMap<>();
    private final ArrayDeque<Held> spare = new ArrayDeque<>();
    private final ReleaseQueue<Held> queue = new ReleaseQueue<>(1024);
    private final List<SensorEvent> due = new ArrayList<>();
    private long count;

    HeldReadings(ListState<SensorEvent> pending, KeySwitch keys) {
        this.pending = pending;
        this.keys = keys;
    }

    /** Holds a reading of its key until a watermark passes it. */
    void add(SensorEvent e) {
        Held h = heldOf(e.entityId);
        h.add(e);
        queue.add(e.eventTime, h);
        count++;
    }

    /** Restores a key's held readings from its copy in keyed state (at start, after a restore or rescale). */
    void restore(String key, Iterable<SensorEvent> stored) {
        Held h = null;
        for (SensorEvent e : stored) {
            if (h == null) {
                h = heldOf(key);
            }
            h.add(e);
            queue.add(e.eventTime, h);
            count++;
        }
        if (h != null) {
            h.inState = true;
            h.changed = false;
        }
    }

    /** Whether the key holds readings. */
    boolean holds(String key) {
        Held h = held.get(key);
        return h != null && h.size > 0;
    }

    /** Readings held now, over all keys. */
    long count() {
        return count;
    }

    /**
     * Releases every key's readings at or before {@code watermark}, one key at a time, oldest first. A queue
     * entry may be older than its holder's readings (the holder was released and reused for another key
     * since): releasing what is due of whatever the holder holds is right either way.
     */
    void release(long watermark, DueSink sink) throws Exception {
        while (!queue.isEmpty() && queue.peekTime() <= watermark) {
            Held h = queue.peekKey();
            queue.poll();
            if (h.size > 0) { // else an earlier entry released its readings
                keys.setCurrentKey(h.key);
                if (collectDue(h, watermark)) {
                    sink.accept(h.key, due);
                }
            }
        }
    }

    /** Moves the holder's readings at or before the watermark into {@link #due}, sorted; false if none. */
    private boolean collectDue(Held h, long watermark) throws Exception {
        due.clear();
        int kept = 0;
        boolean sorted = true;
        for (int i = 0; i < h.size; i++) {
            SensorEvent e = h.events[i];
            if (e.eventTime <= watermark) {
                sorted &= due.isEmpty() || due.get(due.size() - 1).eventTime <= e.eventTime;
                due.add(e);
            } else {
                h.events[kept++] = e;
            }
        }
        if (due.isEmpty()) {
            return false;
        }
        count -= due.size();
        if (kept == 0) {
            // The holder stays in the map until the next checkpoint drops the empty ones: a key usually
            // holds again soon, and removing it here was a hash lookup on a cache-cold key per release.
            if (h.inState) {
                pending.clear(); // held at a checkpoint, released since
                h.inState = false;
            }
            h.empty();
        } else {
            Arrays.fill(h.events, kept, h.size, null);
            h.size = kept;
            h.changed = true;
        }
        if (!sorted) {
            due.sort(Comparator.comparingLong(e -> e.eventTime));
        }
        return true;
    }

    /**
     * Writes the held readings that changed since the last checkpoint to keyed state, before the keyed
     * state backend takes its snapshot. A key whose readings were all released has had its copy cleared at
     * the release; its empty holder is dropped now.
     */
    void snapshot() throws Exception {
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> entry = it.next();
            Held h = entry.getValue();
            if (h.size == 0) {
                it.remove();
                h.reset();
                if (spare.size() < MAX_SPARE) {
                    spare.push(h);
                }
            } else if (h.changed) {
                keys.setCurrentKey(entry.getKey());
                pending.update(Arrays.asList(Arrays.copyOf(h.events, h.size)));
                h.inState = true;
                h.changed = false;
            }
        }
    }

    private Held heldOf(String key) {
        Held h = held.get(key);
        if (h == null) {
            h = spare.isEmpty() ? new Held() : spare.pop();
            h.key = key;
            held.put(key, h);
        }
        return h;
    }

    /**
     * One key's readings waiting for the watermark, in arrival order. {@code inState}: keyed state has
     * a copy (written at a checkpoint, or restored); {@code changed}: that copy is not what is held.
     */
    private static final class Held {
        String key;
        SensorEvent[] events = new SensorEvent[2];
        int size;
        boolean inState;
        boolean changed;

        void add(SensorEvent e) {
            if (size == events.length) {
                events = Arrays.copyOf(events, size * 2);
            }
            events[size++] = e;
            changed = true;
        }

        /** Drops the readings (all released); keyed state's copy, if any, is the caller's to clear. */
        void empty() {
            Arrays.fill(events, 0, size, null);
            size = 0;
            changed = false;
        }

        /** Ready for another key. */
        void reset() {
            empty();
            key = null;
            inState = false;
        }
    }
}
