package io.vigil.job.operator;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.metrics.VigilMetrics;
import io.vigil.job.state.KeyStateSerializer;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.Severity;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleBytes;
import io.vigil.scoring.bundle.ScoringModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.apache.flink.streaming.api.operators.InternalTimeServiceManager;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Per-key stateful scoring, batched across keys: the Flink side of {@code io.vigil.scoring.Scorer}.
 *
 * <p>Input 1 (keyed by entity) is held until the watermark, or its own Kafka partition's progress,
 * passes each reading ({@link HeldReadings}); everything released at once, over all keys, is scored together ({@link ScoringBatch}: one engine
 * call per batch of keys, each key's LSTM stepping once per event), and each key's {@link KeyState} is
 * written back to keyed state once per run of its readings. A watermark releases (and then expires) at
 * most {@link #RELEASE_SLICE_KEYS} keys per mailbox action and continues in later ones; each slice's batch
 * is scored completely before the action ends, so no key state is outside Flink state when a checkpoint
 * is taken, and readings not yet released are still held (and checkpointed as such).
 * Keys silent for the state TTL are dropped by an event-time timer, resolving an open alert. Input 2 is
 * the broadcast stream of model announcements ({@link ModelSwitch}): a new version is loaded, verified
 * and swapped in; a bad one is refused and logged, and the current model keeps scoring.
 *
 * <p>Main output: alerts (already encoded, {@link OutputRecords}); side outputs: per-event scores and
 * late readings.
 */
public final class ScoringOperator extends AbstractStreamOperator<KafkaMessage>
        implements TwoInputStreamOperator<SensorEvent, ModelUpdate, KafkaMessage>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<KafkaMessage> SCORES =
            new OutputTag<>("scores", TypeInformation.of(KafkaMessage.class));
    public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late", TypeInformation.of(DeadLetter.class));

    private final ScoringSettings settings;

    private transient Scorer scorer;
    private transient ModelSwitch models;
    private transient ValueState<KeyState> keyState;
    private transient HeldReadings<SensorEvent> held;
    private transient long watermark;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient ListState<String> modelInUse;
    private transient ListState<byte[]> modelCopy;
    private transient String restoredModel;
    private transient BundleBytes restoredCopy;
    private transient ScoringBatch batch;
    /** The keys with readings in {@link #batch}: their state is written back only when the batch is scored. */
    private transient Set<String> batchedKeys;
    /**
     * The key whose run of readings ends {@link #batch} (null: none, or the batch was scored since), its
     * state in the batch and its latest reading's event time: a reading of that key that arrives in order
     * continues the run ({@link #take}).
     */
    private transient String openKey;

    private transient KeyState openState;
    private transient long openLast;
    /** A later mailbox action continues a release ({@link #continueRelease}). */
    private transient boolean releasing;
    /** The latest watermark not yet forwarded: what it releases is not all scored yet. */
    private transient Watermark pendingMark;
    /** Whether readings arrive in order and are scored as they come ({@link EventRecords#arriveInOrder}). */
    private transient boolean inOrder;
    /** One arrived reading, as the list {@link #score} takes. */
    private transient List<SensorEvent> arrived;

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
        // the files of the model in use, written by the first subtask only (all subtasks score with the
        // same model, and a union list state hands every entry to every subtask on restore)
        modelCopy = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<byte[]>(
                        "vigil-model-copy",
                        org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            for (String uri : modelInUse.get()) {
                restoredModel = uri;
            }
            for (byte[] copy : modelCopy.get()) {
                restoredCopy = BundleBytes.fromBytes(copy);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        models = new ModelSwitch(settings);
        ScoringModel model = models.initial(restoredModel, restoredCopy);
        restoredCopy = null;
        scorer = new Scorer(model, settings.scorer());
        metrics = new VigilMetrics(getMetricGroup(), () -> watermark);
        metrics.modelInUse(model);
        ValueStateDescriptor<KeyState> keyStateDescriptor =
                new ValueStateDescriptor<>("vigil-key-state", new KeyStateSerializer());
        keyState = getPartitionedState(keyStateDescriptor);
        ListStateDescriptor<SensorEvent> pendingDescriptor =
                new ListStateDescriptor<>("vigil-pending", settings.records().eventSerializer());
        Duration bound = settings.outOfOrderness();
        held = new HeldReadings<>(
                getPartitionedState(pendingDescriptor),
                this::setCurrentKey,
                e -> e.entityId,
                e -> e.eventTime,
                e -> e.partition,
                bound == null ? Long.MAX_VALUE / 2 : bound.toMillis());
        watermark = Long.MIN_VALUE;
        // Restored (or rescaled): the readings this subtask's keys held at the checkpoint, and its keys
        // counted as warm or warming.
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        pendingDescriptor,
                        (key, stored) -> held.restore((String) key, stored.get()));
        metrics.held((int) held.count());
        long warmAfter = scorer.warmAfter();
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        keyStateDescriptor,
                        (key, stored) -> metrics.keyRestored(stored.value().count >= warmAfter));
        expiry = getInternalTimerService("vigil-expiry", VoidNamespaceSerializer.INSTANCE, new Expiry());
        batch = new ScoringBatch(settings.scorer().maxBatch() * 4);
        batchedKeys = new HashSet<>();
        inOrder = settings.records().arriveInOrder();
        arrived = new ArrayList<>(1);
        ttlMillis = settings.stateTtl().toMillis();
        ttlGranularity = Math.max(1, ttlMillis / 4);
        if (bound != null) {
            // a partition's progress releases its readings between watermarks too: the job's watermark
            // stands still while any partition lags
            getProcessingTimeService()
                    .scheduleWithFixedDelay(t -> releaseAhead(), RELEASE_TICK_MILLIS, RELEASE_TICK_MILLIS);
        }
        LOG.info(
                "Scoring with model {}/{} ({}) from {}",
                model.modelId(),
                model.version(),
                models.currentUri(),
                models.startedFrom());
    }

    /**
     * Holds a reading until the watermark passes it. A reading already behind the watermark (its
     * partition lagged the others, or was taken for idle) is still scored, at the next watermark and
     * in order, unless its key has already scored a later one: only then would it break the key's
     * event-time order, and it goes to the dead-letter topic. Readings that arrive in order
     * ({@link EventRecords#arriveInOrder}) are not held: they join the batch as they come ({@link #take}).
     */
    @Override
    public void processElement1(StreamRecord<SensorEvent> element) throws Exception {
        SensorEvent e = element.getValue();
        if (e.eventTime <= watermark) {
            KeyState s = keyState.value();
            if (s != null && s.lastEventTime > 0 && behind(e.eventTime, s.lastEventTime)) {
                late(e, s.lastEventTime, element.getTimestamp());
                return;
            }
        }
        if (inOrder && held.count() == 0) {
            take(e);
            return;
        }
        // held until the watermark; in order too while readings restored from a checkpoint wait, so those
        // are scored first
        held.add(e);
        metrics.held(1);
    }

    /**
     * Adds a reading that arrived in order to the batch at once: the upstream step already held it for
     * the watermark and releases each key's readings together, oldest first, so holding it again would
     * only sort it into the same order. It continues its key's run when that run ends the batch; the
     * batch is scored, as ever, when full and at the watermark (before any checkpoint barrier passes: the
     * upstream step releases at the watermark, and {@link #prepareSnapshotPreBarrier} scores what is left).
     */
    private void take(SensorEvent e) throws Exception {
        if (e.entityId.equals(openKey)) {
            if (openLast > 0 && behind(e.eventTime, openLast)) {
                late(e, openLast, e.eventTime);
                return;
            }
            batch.add(openKey, openState, e, Long.MIN_VALUE);
            openLast = e.eventTime;
            if (batch.size >= settings.scorer().maxBatch()) {
                flush();
            }
            return;
        }
        arrived.add(e);
        try {
            score(e.entityId, arrived);
        } finally {
            arrived.clear();
        }
    }

    private void late(SensorEvent e, long keyAt, long timestamp) {
        metrics.late();
        output.collect(
                LATE, new StreamRecord<>(settings.records().late(e, keyAt, watermark, settings.features()), timestamp));
    }

    /** Whether an event at {@code time} would break its key's order, its latest scored event being at {@code last}. */
    private boolean behind(long time, long last) {
        return settings.records().sameTimeInOrder() ? time < last : time <= last;
    }

    @Override
    public void processElement2(StreamRecord<ModelUpdate> element) {
        ModelUpdate update = element.getValue();
        ScoringModel current = scorer.model();
        try {
            ScoringModel next = models.next(current, update);
            if (next != null) {
                scorer = scorer.withModel(next);
                metrics.modelSwapped();
                metrics.modelInUse(next);
                LOG.info("Swapped in model {}/{} from {}", next.modelId(), next.version(), update.uri);
            }
        } catch (RuntimeException e) {
            metrics.modelRejected();
            LOG.warn(
                    "Refused model {}/{} from {}: {}. Still scoring with {}/{}.",
                    update.modelId,
                    update.version,
                    update.uri,
                    e.getMessage(),
                    current.modelId(),
                    current.version());
        }
    }

    /** How often the readings each partition's own progress has passed are released between watermarks. */
    static final long RELEASE_TICK_MILLIS = 20;

    /**
     * Most keys released and scored in one mailbox action. A watermark that releases more (a fleet whose
     * readings share one timestamp releases every key at once: a million keys on RocksDB took 10-40 s)
     * continues in later actions, so a checkpoint barrier, a model announcement or a timer waits for one
     * slice, not for the whole release. The expiry timers it makes due fire once everything it released
     * is scored, at most this many per action too (a fleet that goes quiet together, or the end of the
     * input, expires every key at once); the watermark goes downstream once they have all fired.
     */
    static final int RELEASE_SLICE_KEYS = 1024;

    /** Scores what each partition's own progress has released (see {@link HeldReadings#releaseAhead}). */
    private void releaseAhead() throws Exception {
        if (!releasing) {
            continueRelease();
        }
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        pendingMark = mark;
        if (!releasing) {
            continueRelease();
        }
    }

    /**
     * Does one slice of what the watermark and the partitions' progress have made due ({@link #releaseSlice});
     * comes back in a later mailbox action (a processing-time timer due now) while some is left.
     */
    private void continueRelease() throws Exception {
        releasing = false;
        if (!releaseSlice()) {
            releasing = true;
            ProcessingTimeService time = getProcessingTimeService();
            time.registerTimer(time.getCurrentProcessingTime(), t -> continueRelease());
        }
    }

    /**
     * Releases and scores the readings of at most {@link #RELEASE_SLICE_KEYS} keys; once all that is due
     * is scored, fires at most as many of the expiry timers the latest watermark not yet forwarded has
     * made due (at the end of the input, or after a jump in event time, that is every key's: a million
     * keys on RocksDB took a minute), and once those are done too, forwards the watermark. True when
     * nothing is left.
     */
    private boolean releaseSlice() throws Exception {
        boolean released = held.release(watermark, this::released, RELEASE_SLICE_KEYS)
                && held.releaseAhead(this::released, RELEASE_SLICE_KEYS);
        flush();
        Watermark mark = pendingMark;
        if (!released || mark == null) {
            return released;
        }
        int[] fired = {0};
        InternalTimeServiceManager.ShouldStopAdvancingFn sliceDone = () -> ++fired[0] >= RELEASE_SLICE_KEYS;
        boolean expired = timeServiceManager.tryAdvanceWatermark(mark, sliceDone);
        flush();
        if (expired) {
            // Scoring the batch registered each key's next expiry; one already due (the end of the input,
            // or a watermark that jumped) fires now, not at whichever watermark happens to come next.
            expired = timeServiceManager.tryAdvanceWatermark(mark, sliceDone);
            flush();
        }
        if (!expired) {
            return false;
        }
        pendingMark = null;
        output.emitWatermark(mark);
        return true;
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
     * watermark says (a partition that was idle at the end never sends its last one), and every key's
     * expiry timer fires. Both are done here, slice after slice, before returning: timers no longer fire
     * once the task finishes. A checkpoint barrier that comes meanwhile waits for this call (Flink does not
     * take the barrier that follows the end of the data while it runs, even with the mailbox yielded), so
     * the last checkpoint of a bounded run with many keys held at the end lasts as long as this; the log
     * line says how long.
     */
    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            long started = System.nanoTime();
            long heldAtEnd = held.count();
            watermark = Long.MAX_VALUE;
            pendingMark = Watermark.MAX_WATERMARK;
            int slices = 1;
            while (!releaseSlice()) {
                slices++;
            }
            releasing = false;
            LOG.info(
                    "End of input: released {} held readings and fired the due expiries in {} slices of at most {}"
                            + " keys, {} ms (a checkpoint barrier that arrived meanwhile waited for it)",
                    heldAtEnd,
                    slices,
                    RELEASE_SLICE_KEYS,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // a no-op in practice: batches are completed within one watermark
    }

    /**
     * Writes the held readings that changed since the last checkpoint to keyed state, before the keyed
     * state backend takes its snapshot (Flink calls this first, synchronously, for every checkpoint and
     * savepoint).
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        held.snapshot();
        super.snapshotState(context);
        modelInUse.update(List.of(models.currentUri()));
        BundleBytes copy = models.currentCopy();
        modelCopy.update(
                copy != null && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                        ? List.of(copy.toBytes())
                        : List.of());
    }

    @Override
    public void close() throws Exception {
        if (scorer != null) {
            scorer.close();
        }
        super.close();
    }

    /** Scores the current key's held readings that the watermark (or their partition's progress) released. */
    private void released(String key, List<SensorEvent> due) throws Exception {
        metrics.held(-due.size());
        score(key, due);
    }

    /**
     * Adds the current key's readings to the batch, oldest first; one already behind the key's latest
     * scored reading (a second at the same time, or one out of order beyond the watermark's wait) goes to
     * the dead-letter topic.
     */
    private void score(String key, List<SensorEvent> due) throws Exception {
        if (!batchedKeys.add(key)) {
            // The key already has readings in the batch (one watermark released some, its partition's progress
            // more), scored on a state written back only at the flush: a second copy read now (a fresh one for
            // a new key, a stale one from RocksDB) would overwrite the first and lose its readings. Score those
            // first, so these continue from the state they leave.
            flush();
            setCurrentKey(key);
            batchedKeys.add(key);
        }
        KeyState s = keyState.value();
        if (s == null) {
            s = scorer.newState(key);
            metrics.keyAdded();
        }
        long last = s.lastEventTime;
        boolean added = false;
        for (SensorEvent e : due) {
            if (last > 0 && behind(e.eventTime, last)) {
                late(e, last, e.eventTime);
                continue;
            }
            batch.add(key, s, e, added ? Long.MIN_VALUE : s.lastEventTime);
            added = true;
            last = e.eventTime;
        }
        if (added) {
            openKey = key;
            openState = s;
            openLast = last;
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
            if (s == null || s.lastEventTime + ttlMillis > timer.getTimestamp() || held.holds(timer.getKey())) {
                return; // the key spoke again; a later timer will look
            }
            if (s.episode.open()) {
                ScoringModel m = scorer.model();
                output.collect(new StreamRecord<>(
                        settings.records()
                                .expired(
                                        timer.getKey(),
                                        s,
                                        timer.getTimestamp(),
                                        System.currentTimeMillis(),
                                        m.modelId(),
                                        m.version()),
                        timer.getTimestamp()));
                metrics.alertResolved(Severity.LOW); // the severity an expiry's record carries
            }
            metrics.keyExpired(s.count >= scorer.warmAfter());
            keyState.clear();
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }

    private void flush() throws Exception {
        int n = batch.size;
        batchedKeys.clear();
        openKey = null;
        openState = null;
        if (n == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long started = System.nanoTime();
        scorer.score(
                n,
                batch.keys,
                batch.states,
                batch.raw,
                batch.times,
                (i, v) -> emit(batch.keys[i], batch.states[i], batch.events[i], v, now));
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
            output.collect(SCORES, new StreamRecord<>(settings.records().score(key, v, e, now), e.eventTime));
        }
        if (v.warm() && s.count == scorer.warmAfter()) {
            metrics.keyWarmed(); // this event ended the key's warm-up
        }
        switch (v.transition()) {
            case OPEN -> {
                metrics.alertOpened(OutputRecords.severity(v.severity()));
                output.collect(new StreamRecord<>(
                        settings.records().alert(key, s, v, e, AlertStatus.OPEN, null, now), e.eventTime));
            }
            case ESCALATE ->
                output.collect(new StreamRecord<>(
                        settings.records().alert(key, s, v, e, AlertStatus.UPDATE, null, now), e.eventTime));
            case RESOLVE, ACCEPT -> {
                metrics.alertResolved(OutputRecords.severity(v.severity()));
                output.collect(new StreamRecord<>(
                        settings.records()
                                .alert(
                                        key,
                                        s,
                                        v,
                                        e,
                                        AlertStatus.RESOLVED,
                                        OutputRecords.resolution(v.transition()),
                                        now),
                        e.eventTime));
            }
            case NONE -> {}
        }
    }
}
