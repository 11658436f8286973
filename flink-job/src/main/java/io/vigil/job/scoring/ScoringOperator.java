package io.vigil.job.scoring;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.metrics.VigilMetrics;
import io.vigil.job.model.ModelSource;
import io.vigil.job.state.KeyStateSerializer;
import io.vigil.job.state.SensorEventSerializer;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.Severity;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Per-key stateful scoring, batched across keys.
 *
 * <p>Input 1 (keyed by entity) holds each reading until the watermark passes its event time, then
 * releases the key's readings in event-time order. Held readings live in memory, per key, and are
 * written to keyed state ({@code vigil-pending}) only when a checkpoint is taken, for the keys whose held
 * readings changed since the last one: most readings are released before any checkpoint sees them, so
 * the three state operations per reading this replaced (add, read back, clear; on RocksDB each a
 * serialisation) are gone. Which keys a watermark releases is looked up in a {@link ReleaseQueue}, an
 * index of (event time, key). On restore both are rebuilt from {@code vigil-pending}, which therefore
 * holds, at every checkpoint, exactly the readings not yet scored. Everything a watermark releases, over
 * all keys, is scored together by the shared {@link Scorer} (one engine call per batch of keys, each
 * key's LSTM stepping once per event), and each key's {@link KeyState} is written back to keyed state
 * once per run of its readings. A batch is always scored completely while the watermark is being
 * processed, so no key state is outside Flink state when a checkpoint is taken. Input 2 is the
 * broadcast stream of model announcements: a new version is loaded, verified, and swapped in; a bad
 * one is refused and logged, and the current model keeps scoring.
 *
 * <p>Main output: alerts (already encoded); side outputs: per-event scores and late readings.
 */
public final class ScoringOperator extends AbstractStreamOperator<KafkaMessage>
        implements TwoInputStreamOperator<SensorEvent, ModelUpdate, KafkaMessage>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<KafkaMessage> SCORES = new OutputTag<>("scores", TypeInformation.of(KafkaMessage.class));
    public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late", TypeInformation.of(DeadLetter.class));

    private final ScoringSettings settings;

    private transient Scorer scorer;
    private transient ModelSource source;
    private transient String currentUri;
    private transient ValueState<KeyState> keyState;
    private transient ListStateDescriptor<SensorEvent> pendingDescriptor;
    private transient ListState<SensorEvent> pending;
    private transient Map<String, Held> held;
    private transient ArrayDeque<Held> spareHeld;
    private transient ReleaseQueue<Held> releaseQueue;
    private transient long watermark;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient ListState<String> modelInUse;
    private transient String restoredModel;
    private transient Batch batch;
    private transient List<SensorEvent> due;
    private transient long ttlMillis;
    private transient long ttlGranularity;

    private transient VigilMetrics metrics;

    public ScoringOperator(ScoringSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelInUse = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("vigil-model-in-use", Types.STRING));
        if (context.isRestored()) {
            for (String uri : modelInUse.get()) {
                restoredModel = uri;
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        source = settings.source();
        ScoringModel model;
        if (restoredModel != null) {
            currentUri = restoredModel;
            model = ModelSource.load(restoredModel, null);
        } else {
            currentUri = source.uriOf(settings.version());
            model = source.load(settings.version());
        }
        checkFeatures(model);
        scorer = new Scorer(model, settings.scorer());
        metrics = new VigilMetrics(getMetricGroup(), () -> watermark);
        metrics.modelInUse(model);
        ValueStateDescriptor<KeyState> keyStateDescriptor =
                new ValueStateDescriptor<>("vigil-key-state", new KeyStateSerializer());
        keyState = getPartitionedState(keyStateDescriptor);
        pendingDescriptor = new ListStateDescriptor<>("vigil-pending", new SensorEventSerializer());
        pending = getPartitionedState(pendingDescriptor);
        watermark = Long.MIN_VALUE;
        releaseQueue = new ReleaseQueue<>(1024);
        held = new HashMap<>();
        spareHeld = new ArrayDeque<>();
        // Restored (or rescaled): the readings this subtask's keys held at the checkpoint.
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                pendingDescriptor, (key, stored) -> {
                    Held h = null;
                    for (SensorEvent e : stored.get()) {
                        if (h == null) {
                            h = heldOf((String) key);
                        }
                        h.add(e);
                        releaseQueue.add(e.eventTime, h);
                        metrics.held(1);
                    }
                    if (h != null) {
                        h.inState = true;
                        h.changed = false;
                    }
                });
        long warmAfter = warmAfter();
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                keyStateDescriptor, (key, stored) -> metrics.keyRestored(stored.value().count >= warmAfter));
        due = new ArrayList<>();
        expiry = getInternalTimerService("vigil-expiry", VoidNamespaceSerializer.INSTANCE, new Expiry());
        batch = new Batch(settings.scorer().maxBatch() * 4);
        ttlMillis = settings.stateTtl().toMillis();
        ttlGranularity = Math.max(1, ttlMillis / 4);
        LOG.info("Scoring with model {}/{} from {}", model.modelId(), model.version(), currentUri);
    }

    private void checkFeatures(ScoringModel model) {
        if (!model.features().equals(settings.features())) {
            throw new IllegalStateException("Model " + model.modelId() + "/" + model.version() + " has features "
                    + model.features() + " but this job decodes " + settings.features()
                    + "; a change of features needs a new job");
        }
    }

    /**
     * Holds a reading until the watermark passes it. A reading already behind the watermark (its
     * partition lagged the others, or was taken for idle) is still scored, at the next watermark and
     * in order, unless its key has already scored a later one: only then would it break the key's
     * event-time order, and it goes to the dead-letter topic.
     */
    @Override
    public void processElement1(StreamRecord<SensorEvent> element) throws Exception {
        SensorEvent e = element.getValue();
        if (e.eventTime <= watermark) {
            KeyState s = keyState.value();
            if (s != null && s.lastEventTime > 0 && e.eventTime <= s.lastEventTime) {
                metrics.late();
                output.collect(LATE, new StreamRecord<>(late(e, s.lastEventTime), element.getTimestamp()));
                return;
            }
        }
        Held h = heldOf(e.entityId);
        h.add(e);
        releaseQueue.add(e.eventTime, h);
        metrics.held(1);
    }

    private Held heldOf(String key) {
        Held h = held.get(key);
        if (h == null) {
            h = spareHeld.isEmpty() ? new Held() : spareHeld.pop();
            h.key = key;
            held.put(key, h);
        }
        return h;
    }

    @Override
    public void processElement2(StreamRecord<ModelUpdate> element) {
        ModelUpdate update = element.getValue();
        ScoringModel current = scorer.model();
        if (!current.modelId().equals(update.modelId) || current.version().equals(update.version)) {
            return;
        }
        try {
            ScoringModel next = ModelSource.load(update.uri, update.manifestSha256);
            if (!next.modelId().equals(update.modelId) || !next.version().equals(update.version)) {
                throw new IllegalStateException("the bundle at " + update.uri + " is " + next.modelId() + "/"
                        + next.version() + ", not the announced " + update.modelId + "/" + update.version);
            }
            checkFeatures(next);
            scorer = scorer.withModel(next);
            currentUri = update.uri;
            metrics.modelSwapped();
            metrics.modelInUse(next);
            LOG.info("Swapped in model {}/{} from {}", next.modelId(), next.version(), update.uri);
        } catch (RuntimeException e) {
            metrics.modelRejected();
            LOG.warn("Refused model {}/{} from {}: {}. Still scoring with {}/{}.", update.modelId, update.version,
                    update.uri, e.getMessage(), current.modelId(), current.version());
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        while (!releaseQueue.isEmpty() && releaseQueue.peekTime() <= watermark) {
            Held h = releaseQueue.peekKey();
            releaseQueue.poll();
            if (h.size > 0) { // else an earlier entry released its readings
                setCurrentKey(h.key);
                releaseDue(h);
            }
        }
        timeServiceManager.advanceWatermark(mark);
        flush();
        // Scoring the batch registered each key's next expiry; one already due (the end of the input,
        // or a watermark that jumped) fires now, not at whichever watermark happens to come next.
        timeServiceManager.advanceWatermark(mark);
        flush();
        output.emitWatermark(mark);
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // model announcements carry no event time
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) {
        if (index == 0) {
            output.emitWatermarkStatus(status);
        }
    }

    /**
     * At the end of a bounded input every held reading is due: the input is complete, whatever the
     * watermark says (a partition that was idle at the end never sends its last one).
     */
    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            processWatermark1(Watermark.MAX_WATERMARK);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // a no-op in practice: batches are completed within one watermark
    }

    /**
     * Writes the held readings that changed since the last checkpoint to keyed state, before the keyed
     * state backend takes its snapshot (Flink calls this first, synchronously, for every checkpoint and
     * savepoint). A key whose readings were all released has had its copy cleared at the release.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        for (var it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> entry = it.next();
            Held h = entry.getValue();
            if (h.size == 0) {
                it.remove(); // released since (its copy, if it had one, was cleared then)
                h.reset();
                if (spareHeld.size() < 4096) {
                    spareHeld.push(h);
                }
            } else if (h.changed) {
                setCurrentKey(entry.getKey());
                pending.update(Arrays.asList(Arrays.copyOf(h.events, h.size)));
                h.inState = true;
                h.changed = false;
            }
        }
        super.snapshotState(context);
        modelInUse.update(List.of(currentUri));
    }

    @Override
    public void close() throws Exception {
        if (scorer != null) {
            scorer.close();
        }
        super.close();
    }

    /**
     * Releases the current key's readings the watermark has passed into the batch, oldest first. A
     * queue entry may be older than its holder's readings (the holder was released and reused for
     * another key since): releasing what is due of whatever the holder holds is right either way.
     */
    private void releaseDue(Held h) throws Exception {
        String key = h.key;
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
            return;
        }
        metrics.held(-due.size());
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
        KeyState s = keyState.value();
        if (s == null) {
            s = scorer.newState(key);
            metrics.keyAdded();
        }
        long last = s.lastEventTime;
        boolean added = false;
        for (SensorEvent e : due) {
            if (last > 0 && e.eventTime <= last) {
                metrics.late(); // a second reading at the same time, or one behind the key's latest
                output.collect(LATE, new StreamRecord<>(late(e, last), e.eventTime));
                continue;
            }
            batch.add(key, s, e, added ? Long.MIN_VALUE : s.lastEventTime);
            added = true;
            last = e.eventTime;
        }
        if (batch.size >= settings.scorer().maxBatch()) {
            flush();
        }
    }

    /** Drops the state of a key that has been silent for the TTL (resolving its open alert). */
    private final class Expiry implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            if (batch.size > 0) {
                // The same watermark may have released later readings of this key that are not scored
                // yet; score them first, so the decision sees the key as it is, not as it was.
                flush();
                setCurrentKey(timer.getKey());
            }
            KeyState s = keyState.value();
            Held h = held.get(timer.getKey());
            if (s == null || s.lastEventTime + ttlMillis > timer.getTimestamp() || (h != null && h.size > 0)) {
                return; // the key spoke again; a later timer will look
            }
            if (s.alertOpenedAt != Long.MIN_VALUE) {
                ScoringModel m = scorer.model();
                output.collect(new StreamRecord<>(AlertEncoder.expired(timer.getKey(), s, timer.getTimestamp(),
                        System.currentTimeMillis(), m.modelId(), m.version(), m.threshold()), timer.getTimestamp()));
                metrics.alertResolved(Severity.LOW); // the severity an expiry's record carries
            }
            metrics.keyExpired(s.count >= warmAfter());
            keyState.clear();
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    private void flush() throws Exception {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        scorer.score(n, batch.keys, batch.states, batch.raw, (i, v) -> emit(batch.keys[i], batch.states[i],
                batch.events[i], v, now));
        metrics.batchScored(n, System.nanoTime() - started);
        for (int r = 0; r < batch.runs; r++) {
            int i = batch.runStart[r];
            setCurrentKey(batch.keys[i]);
            KeyState s = batch.states[i];
            keyState.update(s);
            long cleanupAt = cleanupAt(s.lastEventTime);
            long before = batch.runBefore[r];
            if (before == 0 || cleanupAt(before) != cleanupAt) {
                expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, cleanupAt); // else already registered
            }
        }
        batch.clear();
    }

    /** When a key last heard from at {@code lastEventTime} is looked at for expiry (TTL, rounded up). */
    private long cleanupAt(long lastEventTime) {
        return (lastEventTime + ttlMillis) / ttlGranularity * ttlGranularity + ttlGranularity;
    }

    private void emit(String key, KeyState s, SensorEvent e, ScoreView v, long now) {
        s.lastEventTime = e.eventTime;
        if (settings.emitScores() && v.scored()) {
            output.collect(SCORES, new StreamRecord<>(AlertEncoder.score(key, v, e.eventTime, e.ingestTime, now), e.eventTime));
        }
        if (v.warm() && s.count == warmAfter()) {
            metrics.keyWarmed(); // this event ended the key's warm-up
        }
        switch (settings.lifecycle().apply(key, s, v, e.eventTime)) {
            case OPEN -> {
                metrics.alertOpened(AlertEncoder.severity(s, v));
                output.collect(new StreamRecord<>(AlertEncoder.alert(key, s, v, AlertStatus.OPEN, e.eventTime,
                        e.ingestTime, now), e.eventTime));
            }
            case ESCALATE -> output.collect(new StreamRecord<>(AlertEncoder.alert(key, s, v, AlertStatus.UPDATE,
                    e.eventTime, e.ingestTime, now), e.eventTime));
            case RESOLVE -> {
                metrics.alertResolved(AlertEncoder.severity(s, v));
                output.collect(new StreamRecord<>(AlertEncoder.alert(key, s, v, AlertStatus.RESOLVED, e.eventTime,
                        e.ingestTime, now), e.eventTime));
                AlertLifecycle.clear(s);
            }
            case NONE -> { }
        }
    }

    private long warmAfter() {
        ScoringModel m = scorer.model();
        int warmup = settings.scorer().warmupOverride() >= 0 ? settings.scorer().warmupOverride()
                : m.scoring().warmupEvents();
        return (long) m.windowLength() + warmup;
    }

    private DeadLetter late(SensorEvent e, long keyAt) {
        Map<String, Double> values = new HashMap<>();
        for (int j = 0; j < e.values.length; j++) {
            values.put(settings.features().names().get(j), e.values[j]);
        }
        SensorReading reading = SensorReading.newBuilder().setEntityId(e.entityId)
                .setEventTime(Instant.ofEpochMilli(e.eventTime)).setValues(values).build();
        return new DeadLetter(e.entityId.getBytes(StandardCharsets.UTF_8), WireFormat.encode(reading), DeadLetter.LATE,
                "event time " + Instant.ofEpochMilli(e.eventTime) + " is not after " + Instant.ofEpochMilli(keyAt)
                        + ", the latest reading of this key already scored (watermark "
                        + Instant.ofEpochMilli(watermark) + "); raise watermark.out-of-orderness to"
                        + " wait longer for late readings", "", e.partition, e.offset, e.ingestTime);
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

    /**
     * The readings released by the current watermark, with their keys' states, in parallel arrays. A
     * key's readings are added together, as one run; {@code runStart} indexes each run's first entry, so
     * each key's state is written back once, and {@code runBefore} is the key's latest event time before
     * the run (0 for a new key), so its expiry timer is registered only when that moves to a new slot.
     */
    private static final class Batch {
        String[] keys;
        KeyState[] states;
        SensorEvent[] events;
        double[][] raw;
        int[] runStart;
        long[] runBefore;
        int size;
        int runs;

        Batch(int capacity) {
            keys = new String[capacity];
            states = new KeyState[capacity];
            events = new SensorEvent[capacity];
            raw = new double[capacity][];
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
}
