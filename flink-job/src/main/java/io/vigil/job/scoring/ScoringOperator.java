package io.vigil.job.scoring;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.flink.metrics.Counter;
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
 * <p>Input 1 (keyed by entity) holds each reading in keyed state until the watermark passes its event
 * time, then releases the key's readings in event-time order. Which keys a watermark releases is looked
 * up in a {@link ReleaseQueue}, an in-memory index of the held readings (event time, key) that is rebuilt
 * from keyed state on restore: the keyed state is the checkpointed truth, the index only saves a Flink
 * timer (and its de-duplication map) per reading. Everything a watermark releases, over
 * all keys, is scored together by the shared {@link Scorer} (one engine call per batch of keys, each
 * key's LSTM stepping once per event), and each key's {@link KeyState} is written back to keyed state.
 * Because a batch is always scored completely while the watermark is being processed, nothing is held
 * outside Flink state when a checkpoint barrier arrives. Input 2 is the broadcast stream of model
 * announcements: a new version is loaded, verified, and swapped in; a bad one is refused and logged,
 * and the current model keeps scoring.
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
    private transient ReleaseQueue releaseQueue;
    private transient long watermark;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient ListState<String> modelInUse;
    private transient String restoredModel;
    private transient Batch batch;
    private transient List<SensorEvent> due;
    private transient List<SensorEvent> later;
    private transient long ttlMillis;
    private transient long ttlGranularity;

    private transient Counter eventsScored;
    private transient Counter alertsOpened;
    private transient Counter alertsResolved;
    private transient Counter lateEvents;
    private transient Counter keysExpired;
    private transient Counter modelSwaps;
    private transient Counter modelRejections;
    private transient long warmingKeys;
    private transient int lastBatchSize;

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
        keyState = getPartitionedState(new ValueStateDescriptor<>("vigil-key-state", TypeInformation.of(KeyState.class)));
        pendingDescriptor = new ListStateDescriptor<>("vigil-pending", TypeInformation.of(SensorEvent.class));
        pending = getPartitionedState(pendingDescriptor);
        watermark = Long.MIN_VALUE;
        releaseQueue = new ReleaseQueue(1024);
        // Restored (or rescaled): index the readings this subtask's keys still hold.
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                pendingDescriptor, (key, held) -> {
                    for (SensorEvent e : held.get()) {
                        releaseQueue.add(e.eventTime, (String) key);
                    }
                });
        due = new ArrayList<>();
        later = new ArrayList<>();
        expiry = getInternalTimerService("vigil-expiry", VoidNamespaceSerializer.INSTANCE, new Expiry());
        batch = new Batch(settings.scorer().maxBatch() * 4);
        ttlMillis = settings.stateTtl().toMillis();
        ttlGranularity = Math.max(1, ttlMillis / 4);
        var metrics = getMetricGroup().addGroup("vigil");
        eventsScored = metrics.counter("eventsScored");
        alertsOpened = metrics.counter("alertsOpened");
        alertsResolved = metrics.counter("alertsResolved");
        lateEvents = metrics.counter("lateEvents");
        keysExpired = metrics.counter("keysExpired");
        modelSwaps = metrics.counter("modelSwaps");
        modelRejections = metrics.counter("modelRejections");
        metrics.gauge("keysWarming", () -> warmingKeys);
        metrics.gauge("lastBatchSize", () -> lastBatchSize);
        metrics.gauge("modelVersion", () -> scorer.model().version());
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
                lateEvents.inc();
                output.collect(LATE, new StreamRecord<>(late(e, s.lastEventTime), element.getTimestamp()));
                return;
            }
        }
        pending.add(e);
        releaseQueue.add(e.eventTime, e.entityId);
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
            modelSwaps.inc();
            LOG.info("Swapped in model {}/{} from {}", next.modelId(), next.version(), update.uri);
        } catch (RuntimeException e) {
            modelRejections.inc();
            LOG.warn("Refused model {}/{} from {}: {}. Still scoring with {}/{}.", update.modelId, update.version,
                    update.uri, e.getMessage(), current.modelId(), current.version());
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        while (!releaseQueue.isEmpty() && releaseQueue.peekTime() <= watermark) {
            String key = releaseQueue.peekKey();
            releaseQueue.poll();
            setCurrentKey(key);
            releaseDue(key);
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

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
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

    /** Releases the current key's readings the watermark has passed into the batch, oldest first. */
    private void releaseDue(String key) throws Exception {
        Iterable<SensorEvent> held = pending.get();
        due.clear();
        later.clear();
        if (held != null) {
            for (SensorEvent e : held) {
                (e.eventTime <= watermark ? due : later).add(e);
            }
        }
        if (due.isEmpty()) {
            return; // an earlier entry of this key already released these
        }
        if (later.isEmpty()) {
            pending.clear();
        } else {
            pending.update(later);
        }
        if (due.size() > 1) {
            due.sort(Comparator.comparingLong(e -> e.eventTime));
        }
        KeyState s = keyState.value();
        if (s == null) {
            s = scorer.newState(key);
            warmingKeys++;
        }
        long last = s.lastEventTime;
        boolean added = false;
        for (SensorEvent e : due) {
            if (last > 0 && e.eventTime <= last) {
                lateEvents.inc(); // a second reading at the same time, or one behind the key's latest
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
            Iterable<SensorEvent> held = pending.get();
            if (s == null || s.lastEventTime + ttlMillis > timer.getTimestamp()
                    || (held != null && held.iterator().hasNext())) {
                return; // the key spoke again; a later timer will look
            }
            if (s.alertOpenedAt != Long.MIN_VALUE) {
                ScoringModel m = scorer.model();
                output.collect(new StreamRecord<>(AlertEncoder.expired(timer.getKey(), s, timer.getTimestamp(),
                        System.currentTimeMillis(), m.modelId(), m.version(), m.threshold()), timer.getTimestamp()));
                alertsResolved.inc();
            }
            if (s.count < warmAfter()) {
                warmingKeys = Math.max(0, warmingKeys - 1);
            }
            keyState.clear();
            pending.clear();
            keysExpired.inc();
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    private void flush() throws Exception {
        int n = batch.size;
        if (n == 0) {
            return;
        }
        lastBatchSize = n;
        long now = System.currentTimeMillis();
        scorer.score(n, batch.keys, batch.states, batch.raw, (i, v) -> emit(batch.keys[i], batch.states[i],
                batch.events[i], v, now));
        eventsScored.inc(n);
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
            warmingKeys = Math.max(0, warmingKeys - 1); // this event ended the key's warm-up
        }
        switch (settings.lifecycle().apply(key, s, v, e.eventTime)) {
            case OPEN -> {
                alertsOpened.inc();
                output.collect(new StreamRecord<>(AlertEncoder.alert(key, s, v, AlertStatus.OPEN, e.eventTime,
                        e.ingestTime, now), e.eventTime));
            }
            case ESCALATE -> output.collect(new StreamRecord<>(AlertEncoder.alert(key, s, v, AlertStatus.UPDATE,
                    e.eventTime, e.ingestTime, now), e.eventTime));
            case RESOLVE -> {
                alertsResolved.inc();
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
                keys = java.util.Arrays.copyOf(keys, c);
                states = java.util.Arrays.copyOf(states, c);
                events = java.util.Arrays.copyOf(events, c);
                raw = java.util.Arrays.copyOf(raw, c);
                runStart = java.util.Arrays.copyOf(runStart, c);
                runBefore = java.util.Arrays.copyOf(runBefore, c);
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
            java.util.Arrays.fill(keys, 0, size, null);
            java.util.Arrays.fill(states, 0, size, null);
            java.util.Arrays.fill(events, 0, size, null);
            java.util.Arrays.fill(raw, 0, size, null);
            size = 0;
            runs = 0;
        }
    }
}
