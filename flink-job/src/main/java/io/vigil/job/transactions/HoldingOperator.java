package io.vigil.job.transactions;

import io.vigil.job.operator.HeldReadings;
import io.vigil.scoring.transactions.TransactionFeatures;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * A keyed step of the transaction pipeline that works in event-time order: it holds each key's events
 * until the watermark passes them ({@link HeldReadings}, written to keyed state at checkpoints), hands
 * them over per key, oldest first, and keeps one state per key ({@code S}), dropped by an event-time
 * timer once the key has been silent for {@link TransactionFeatures#STATE_TTL} (the features forget such
 * a key too, so dropping it changes nothing they compute). The merchant step and the account step are two.
 */
abstract class HoldingOperator<E, S, OUT> extends AbstractStreamOperator<OUT> {

    private static final long serialVersionUID = 1L;
    private static final long TTL = TransactionFeatures.STATE_TTL.toMillis();
    private static final long TTL_GRANULARITY = TTL / 4;

    private final String name;

    private transient ValueState<S> state;
    private transient HeldReadings<E> held;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient long watermark;

    /** @param name prefix of the state names, e.g. {@code vigil-tx-account} */
    HoldingOperator(String name) {
        this.name = name;
    }

    abstract TypeSerializer<E> eventSerializer();

    abstract TypeSerializer<S> stateSerializer();

    abstract Function<E, String> keyOf();

    abstract ToLongFunction<E> timeOf();

    /** Event time of the latest event a key's state has taken in (its expiry counts from there). */
    abstract long lastTime(S s);

    /** The key's events the watermark released, oldest first; the key is the current key. */
    abstract void release(String key, List<E> due) throws Exception;

    @Override
    public void open() throws Exception {
        super.open();
        state = getPartitionedState(new ValueStateDescriptor<>(name, stateSerializer()));
        ListStateDescriptor<E> pending = new ListStateDescriptor<>(name + "-pending", eventSerializer());
        // released by the watermark alone (features are computed in event-time order over every partition's
        // events), so every event is in one lane and none is released ahead of it
        held = new HeldReadings<>(
                getPartitionedState(pending), this::setCurrentKey, keyOf(), timeOf(), e -> 0, Long.MAX_VALUE / 2);
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        pending,
                        (key, stored) -> held.restore((String) key, stored.get()));
        expiry = getInternalTimerService(name + "-expiry", VoidNamespaceSerializer.INSTANCE, new Expiry());
        watermark = Long.MIN_VALUE;
    }

    /** Holds an event until the watermark passes it. */
    void hold(E e) {
        held.add(e);
    }

    long watermark() {
        return watermark;
    }

    /** The current key's state, or null. */
    S state() throws Exception {
        return state.value();
    }

    /**
     * Stores the current key's state after its events; {@code before} is the key's latest event time before
     * them (MIN_VALUE for a new key), so the expiry timer is moved only when its slot changes.
     */
    void keep(S s, long before) throws Exception {
        state.update(s);
        long at = cleanupAt(lastTime(s));
        if (before == Long.MIN_VALUE || cleanupAt(before) != at) {
            expiry.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        held.release(watermark, this::release);
        super.processWatermark(mark); // timers, then the watermark downstream after what was released
    }

    /** Everything held is due at the end of a bounded input, whatever the watermark says. */
    void finishInput() throws Exception {
        processWatermark(Watermark.MAX_WATERMARK);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        held.snapshot();
        super.snapshotState(context);
    }

    private static long cleanupAt(long lastTime) {
        return (lastTime + TTL) / TTL_GRANULARITY * TTL_GRANULARITY + TTL_GRANULARITY;
    }

    /** Drops the state of a key silent for the TTL. */
    private final class Expiry implements Triggerable<String, VoidNamespace> {
        @Override
        public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
            S s = state.value();
            if (s != null && lastTime(s) + TTL <= timer.getTimestamp() && !held.holds(timer.getKey())) {
                state.clear();
            }
        }

        @Override
        public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}
    }
}
