package io.vigil.job.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
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
 * at every checkpoint, exactly the readings not yet scored. The events are of any type with a key, an
 * event time and a partition: the scoring operator's readings, the transaction pipeline's transactions.
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
    /** {@link Held#lane} of a holder that holds nothing yet. */
    private static final int NONE = -1;
    /** {@link Held#lane} of a key seen on more than one partition. */
    private static final int SPREAD = -2;

    private final ListState<E> pending;
    private final KeySwitch keys;
    private final Function<E, String> keyOf;
    private final ToLongFunction<E> timeOf;
    private final ToIntFunction<E> partitionOf;
    private final Map<String, Held<E>> held = new HashMap<>();
    private final ArrayDeque<Held<E>> spare = new ArrayDeque<>();
    private final List<E> due = new ArrayList<>();
    /** Per Kafka partition (by number): its held readings by event time, and the latest event time seen. */
    private Lane<E>[] lanes = newLanes(0);
    /** Readings that only the job's watermark releases (their keys are seen on several partitions). */
    private final ReleaseQueue<Held<E>> slow = new ReleaseQueue<>(16);
    /** Keys seen on more than one partition: only the job's watermark releases them. */
    private final Set<String> spread = new HashSet<>();

    private final long bound;
    private long watermark = Long.MIN_VALUE;
    private long count;
    /** Keys the release under way may still hand out. */
    private int budget;

    /**
     * @param pending the keyed state a key's held events are written to at checkpoints
     * @param keyOf an event's key, {@code timeOf} its event time, {@code partitionOf} its Kafka partition
     * @param outOfOrderness how far behind its partition's latest event an event may still arrive; an
     *     event that far behind its partition's newest is released by {@link #releaseAhead} without
     *     waiting for the watermark
     */
    public HeldReadings(
            ListState<E> pending,
            KeySwitch keys,
            Function<E, String> keyOf,
            ToLongFunction<E> timeOf,
            ToIntFunction<E> partitionOf,
            long outOfOrderness) {
        this.pending = pending;
        this.keys = keys;
        this.keyOf = keyOf;
        this.timeOf = timeOf;
        this.partitionOf = partitionOf;
        this.bound = outOfOrderness;
    }

    @SuppressWarnings("unchecked")
    private static <E> Lane<E>[] newLanes(int n) {
        return (Lane<E>[]) new Lane<?>[n];
    }

    /** Holds a reading of its key until a watermark, or its partition's progress, passes it. */
    public void add(E e) {
        Held<E> h = heldOf(keyOf.apply(e));
        int partition = partitionOf.applyAsInt(e);
        long time = timeOf.applyAsLong(e);
        Lane<E> lane = lane(partition);
        h.add(e, laneOf(h, partition));
        lane.queue.add(time, h);
        lane.latest = Math.max(lane.latest, time);
        count++;
    }

    /** The lane a holder's readings are released by: its partition's, or none (-1) for a key seen on several. */
    private int laneOf(Held<E> h, int partition) {
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

    private Lane<E> lane(int partition) {
        int p = Math.max(0, partition);
        if (p >= lanes.length) {
            lanes = Arrays.copyOf(lanes, p + 1);
        }
        if (lanes[p] == null) {
            lanes[p] = new Lane<>();
        }
        return lanes[p];
    }

    /** Restores a key's held readings from its copy in keyed state (at start, after a restore or rescale). */
    public void restore(String key, Iterable<E> stored) {
        Held<E> h = null;
        for (E e : stored) {
            if (h == null) {
                h = heldOf(key);
            }
            int partition = partitionOf.applyAsInt(e);
            Lane<E> lane = lane(partition);
            h.add(e, laneOf(h, partition));
            lane.queue.add(timeOf.applyAsLong(e), h);
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
        release(watermark, sink, Integer.MAX_VALUE);
    }

    /**
     * Releases the readings at or before {@code watermark} of at most {@code maxKeys} keys; true when
     * nothing at or before it is held any more, false when keys are left for another call (with the same
     * or a later watermark).
     */
    public boolean release(long watermark, DueSink<E> sink, int maxKeys) throws Exception {
        this.watermark = Math.max(this.watermark, watermark);
        budget = maxKeys;
        for (int p = 0; p < lanes.length; p++) {
            if (lanes[p] != null && !release(lanes[p].queue, p, this.watermark, sink)) {
                return false;
            }
        }
        return release(slow, SPREAD, this.watermark, sink);
    }

    /**
     * Releases, per partition, the readings its own progress has passed: those more than the
     * out-of-orderness bound behind the latest event time seen from that partition, as the partition's
     * watermark would (without waiting for the slowest partition). Readings of keys seen on several
     * partitions stay for the job's watermark.
     */
    public void releaseAhead(DueSink<E> sink) throws Exception {
        releaseAhead(sink, Integer.MAX_VALUE);
    }

    /**
     * {@link #releaseAhead(DueSink)} for at most {@code maxKeys} keys; true when every partition's progress
     * has released all it passed, false when keys are left for another call.
     */
    public boolean releaseAhead(DueSink<E> sink, int maxKeys) throws Exception {
        budget = maxKeys;
        for (int p = 0; p < lanes.length; p++) {
            Lane<E> lane = lanes[p];
            if (lane != null && lane.latest != Long.MIN_VALUE) {
                long limit = lane.latest - bound - 1;
                if (limit > watermark && !release(lane.queue, p, limit, sink)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Releases what the queue holds up to {@code limit} while the budget lasts; false if the budget ran out first. */
    private boolean release(ReleaseQueue<Held<E>> queue, int p, long limit, DueSink<E> sink) throws Exception {
        while (!queue.isEmpty() && queue.peekTime() <= limit) {
            if (budget <= 0) {
                return false;
            }
            Held<E> h = queue.peekKey();
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
                budget--;
                sink.accept(h.key, due);
            }
        }
        return true;
    }

    /** Moves the holder's readings at or before {@code limit} into {@link #due}, sorted; false if none. */
    private boolean collectDue(Held<E> h, long limit) throws Exception {
        due.clear();
        int kept = 0;
        boolean sorted = true;
        for (int i = 0; i < h.size; i++) {
            E e = h.event(i);
            long t = timeOf.applyAsLong(e);
            if (t <= limit) {
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
        /** The partition whose progress releases this key's readings, or {@link #NONE}, or {@link #SPREAD}. */
        int lane = NONE;

        @SuppressWarnings("unchecked")
        E event(int i) {
            return (E) events[i];
        }

        @SuppressWarnings("unchecked")
        List<E> list() {
            return (List<E>) Arrays.asList(Arrays.copyOf(events, size));
        }

        void add(E e, int lane) {
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
    private static final class Lane<E> {
        final ReleaseQueue<Held<E>> queue = new ReleaseQueue<>(256);
        long latest = Long.MIN_VALUE;
    }
}
