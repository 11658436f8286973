package io.vigil.job.scoring;

import io.vigil.job.io.SensorEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;

/**
 * The readings of one subtask's keys that wait for the watermark, and the index of which keys a
 * watermark releases. Besides the job's watermark (the slowest partition's), each Kafka partition's
 * own progress releases its readings: a reading waits only until its partition has shown a reading
 * more than the out-of-orderness bound later ({@link #releaseAhead}), the same wait the source's
 * per-partition watermark generator would impose, without waiting for the other partitions. So what a
 * key holds is bounded by its own partition's out-of-orderness whatever the others do (idle, lagging,
 * or years behind in a replayed corpus). This relies on a key's readings coming from one partition (the
 * producers key by entity); a key seen on two partitions is released by the job's watermark alone from
 * then on. Held readings live in memory, per key, and are written to keyed state
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
    /** {@link Held#lane} of a holder that holds nothing yet. */
    private static final int NONE = -1;
    /** {@link Held#lane} of a key seen on more than one partition. */
    private static final int SPREAD = -2;

    private final ListState<SensorEvent> pending;
    private final KeySwitch keys;
    private final Map<String, Held> held = new HashMap<>();
    private final ArrayDeque<Held> spare = new ArrayDeque<>();
    private final List<SensorEvent> due = new ArrayList<>();
    /** Per Kafka partition (by number): its held readings by event time, and the latest event time seen. */
    private Lane[] lanes = new Lane[0];
    /** Readings that only the job's watermark releases (their keys are seen on several partitions). */
    private final ReleaseQueue<Held> slow = new ReleaseQueue<>(16);
    /** Keys seen on more than one partition: only the job's watermark releases them. */
    private final Set<String> spread = new HashSet<>();
    private final long bound;
    private long watermark = Long.MIN_VALUE;
    private long count;

    /**
     * {@code outOfOrderness}: how far behind its partition's latest reading a reading may still arrive;
     * a reading that far behind its partition's newest is released without waiting for the watermark.
     */
    HeldReadings(ListState<SensorEvent> pending, KeySwitch keys, long outOfOrderness) {
        this.pending = pending;
        this.keys = keys;
        this.bound = outOfOrderness;
    }

    /** Holds a reading of its key until a watermark, or its partition's progress, passes it. */
    void add(SensorEvent e) {
        Held h = heldOf(e.entityId);
        Lane lane = lane(e.partition);
        h.add(e, laneOf(h, e.partition));
        lane.queue.add(e.eventTime, h);
        lane.latest = Math.max(lane.latest, e.eventTime);
        count++;
    }

    /** The lane a holder's readings are released by: its partition's, or none (-1) for a key seen on several. */
    private int laneOf(Held h, int partition) {
        int p = Math.max(0, partition);
        if (h.lane == SPREAD || spread.contains(h.key)) {
            return SPREAD;
        }
        if (h.lane != NONE && h.lane != p) {
            spread.add(h.key);
            return SPREAD;
        }
        return p;
    }

    private Lane lane(int partition) {
        int p = Math.max(0, partition);
        if (p >= lanes.length) {
            lanes = Arrays.copyOf(lanes, p + 1);
        }
        if (lanes[p] == null) {
            lanes[p] = new Lane();
        }
        return lanes[p];
    }

    /** Restores a key's held readings from its copy in keyed state (at start, after a restore or rescale). */
    void restore(String key, Iterable<SensorEvent> stored) {
        Held h = null;
        for (SensorEvent e : stored) {
            if (h == null) {
                h = heldOf(key);
            }
            Lane lane = lane(e.partition);
            h.add(e, laneOf(h, e.partition));
            lane.queue.add(e.eventTime, h);
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
        this.watermark = Math.max(this.watermark, watermark);
        for (int p = 0; p < lanes.length; p++) {
            if (lanes[p] != null) {
                release(lanes[p].queue, p, this.watermark, sink);
            }
        }
        release(slow, SPREAD, this.watermark, sink);
    }

    /**
     * Releases, per partition, the readings its own progress has passed: those more than the
     * out-of-orderness bound behind the latest event time seen from that partition, as the partition's
     * watermark would (without waiting for the slowest partition). Readings of keys seen on several
     * partitions stay for the job's watermark.
     */
    void releaseAhead(DueSink sink) throws Exception {
        for (int p = 0; p < lanes.length; p++) {
            Lane lane = lanes[p];
            if (lane != null && lane.latest != Long.MIN_VALUE) {
                long limit = lane.latest - bound - 1;
                if (limit > watermark) {
                    release(lane.queue, p, limit, sink);
                }
            }
        }
    }

    private void release(ReleaseQueue<Held> queue, int p, long limit, DueSink sink) throws Exception {
        while (!queue.isEmpty() && queue.peekTime() <= limit) {
            Held h = queue.peekKey();
            long time = queue.peekTime();
            queue.poll();
            if (h.size == 0) {
                continue; // an earlier entry released its readings
            }
            if (time > watermark && h.lane != p) {
                // its partition has moved past it, but the holder's key is seen on several partitions (or
                // the holder now serves another key): only the job's watermark releases it
                slow.add(time, h);
                continue;
            }
            keys.setCurrentKey(h.key);
            if (collectDue(h, h.lane == p ? Math.max(limit, watermark) : watermark)) {
                sink.accept(h.key, due);
            }
        }
    }

    /** Moves the holder's readings at or before {@code limit} into {@link #due}, sorted; false if none. */
    private boolean collectDue(Held h, long limit) throws Exception {
        due.clear();
        int kept = 0;
        boolean sorted = true;
        for (int i = 0; i < h.size; i++) {
            SensorEvent e = h.events[i];
            if (e.eventTime <= limit) {
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
        /** The partition whose progress releases this key's readings, or {@link #NONE}, or {@link #SPREAD}. */
        int lane = NONE;

        void add(SensorEvent e, int lane) {
            if (size == events.length) {
                events = Arrays.copyOf(events, size * 2);
            }
            events[size++] = e;
            changed = true;
            this.lane = lane;
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
            lane = NONE;
        }
    }

    /** One partition's held readings by event time, and the latest event time it has shown this subtask. */
    private static final class Lane {
        final ReleaseQueue<Held> queue = new ReleaseQueue<>(256);
        long latest = Long.MIN_VALUE;
    }
}
