package io.vigil.job.scoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ListState;

/**
 * The readings of one subtask's keys that wait for the watermark, and the index of which keys a
 * watermark releases. Held readings live in memory, per key, and are written to keyed state
 * ({@code vigil-pending}) only when a checkpoint is taken, for the keys whose held readings changed since
 * the last one: most readings are released before any checkpoint sees them, so nothing per reading
 * touches the state backend. On restore both are rebuilt from {@code vigil-pending}, which therefore holds,
 * at every checkpoint, exactly the readings not yet scored. The events are of any type with a key and
 * an event time: the scoring operator's readings, the transaction pipeline's transactions.
 */
public final class HeldReadings<E> {

    /** Makes a key the current one, so {@link #pending} reads and writes that key's copy. */
    public interface KeySwitch {
        void setCurrentKey(String key);
    }

    /** Receives one key's readings due at a watermark, oldest first; valid during the call. */
    public interface DueSink<E> {
        void accept(String key, List<E> due) throws Exception;
    }

    private static final int MAX_SPARE = 4096;

    private final ListState<E> pending;
    private final KeySwitch keys;
    private final Function<E, String> keyOf;
    private final ToLongFunction<E> timeOf;
    private final Map<String, Held<E>> held = new HashMap<>();
    private final ArrayDeque<Held<E>> spare = new ArrayDeque<>();
    private final ReleaseQueue<Held<E>> queue = new ReleaseQueue<>(1024);
    private final List<E> due = new ArrayList<>();
    private long count;

    /**
     * @param pending the keyed state a key's held events are written to at checkpoints
     * @param keyOf an event's key, {@code timeOf} its event time
     */
    public HeldReadings(ListState<E> pending, KeySwitch keys, Function<E, String> keyOf, ToLongFunction<E> timeOf) {
        this.pending = pending;
        this.keys = keys;
        this.keyOf = keyOf;
        this.timeOf = timeOf;
    }

    /** Holds a reading of its key until a watermark passes it. */
    public void add(E e) {
        Held<E> h = heldOf(keyOf.apply(e));
        h.add(e);
        queue.add(timeOf.applyAsLong(e), h);
        count++;
    }

    /** Restores a key's held readings from its copy in keyed state (at start, after a restore or rescale). */
    public void restore(String key, Iterable<E> stored) {
        Held<E> h = null;
        for (E e : stored) {
            if (h == null) {
                h = heldOf(key);
            }
            h.add(e);
            queue.add(timeOf.applyAsLong(e), h);
            count++;
        }
        if (h != null) {
            h.inState = true;
            h.changed = false;
        }
    }

    /** Whether the key holds readings. */
    public boolean holds(String key) {
        Held<E> h = held.get(key);
        return h != null && h.size > 0;
    }

    /** Readings held now, over all keys. */
    public long count() {
        return count;
    }

    /**
     * Releases every key's readings at or before {@code watermark}, one key at a time, oldest first. A queue
     * entry may be older than its holder's readings (the holder was released and reused for another key
     * since): releasing what is due of whatever the holder holds is right either way.
     */
    public void release(long watermark, DueSink<E> sink) throws Exception {
        while (!queue.isEmpty() && queue.peekTime() <= watermark) {
            Held<E> h = queue.peekKey();
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
    private boolean collectDue(Held<E> h, long watermark) throws Exception {
        due.clear();
        int kept = 0;
        boolean sorted = true;
        for (int i = 0; i < h.size; i++) {
            E e = h.events(i);
            long t = timeOf.applyAsLong(e);
            if (t <= watermark) {
                sorted &= due.isEmpty() || timeOf.applyAsLong(due.get(due.size() - 1)) <= t;
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
            due.sort(Comparator.comparingLong(timeOf));
        }
        return true;
    }

    /**
     * Writes the held readings that changed since the last checkpoint to keyed state, before the keyed
     * state backend takes its snapshot. A key whose readings were all released has had its copy cleared at
     * the release; its empty holder is dropped now.
     */
    public void snapshot() throws Exception {
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held<E>> entry = it.next();
            Held<E> h = entry.getValue();
            if (h.size == 0) {
                it.remove();
                h.reset();
                if (spare.size() < MAX_SPARE) {
                    spare.push(h);
                }
            } else if (h.changed) {
                keys.setCurrentKey(entry.getKey());
                pending.update(h.list());
                h.inState = true;
                h.changed = false;
            }
        }
    }

    private Held<E> heldOf(String key) {
        Held<E> h = held.get(key);
        if (h == null) {
            h = spare.isEmpty() ? new Held<>() : spare.pop();
            h.key = key;
            held.put(key, h);
        }
        return h;
    }

    /**
     * One key's readings waiting for the watermark, in arrival order. {@code inState}: keyed state has
     * a copy (written at a checkpoint, or restored); {@code changed}: that copy is not what is held.
     */
    private static final class Held<E> {
        String key;
        Object[] events = new Object[2];
        int size;
        boolean inState;
        boolean changed;

        @SuppressWarnings("unchecked")
        E events(int i) {
            return (E) events[i];
        }

        @SuppressWarnings("unchecked")
        List<E> list() {
            return (List<E>) Arrays.asList(Arrays.copyOf(events, size));
        }

        void add(E e) {
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
