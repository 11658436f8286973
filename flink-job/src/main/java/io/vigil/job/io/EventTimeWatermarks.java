package io.vigil.job.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Per-partition watermarks from the readings' event time: bounded out-of-orderness while data flows;
 * once a partition has been silent for the idle timeout it first releases what it holds (watermark at
 * its newest event time: nothing older can still be in flight after that long) and then goes idle,
 * so it neither keeps its last readings unscored nor holds back the other partitions. Dead letters do
 * not move the watermark: their timestamps are not event times.
 *
 * <p>Silence is measured on the source's input activity clock, which stands still while the source is
 * backpressured: a source that cannot emit is not a silent one, and must not release early.
 *
 * <p>The records are the readings source's {@link Envelope}s, or any other source's (the transaction
 * pipeline's), given how to read a record's event time.
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T>, Serializable {

    private static final long serialVersionUID = 1L;

    /** What {@link #eventTime} gives for a record that is not an event (a dead letter). */
    public static final long NOT_AN_EVENT = Long.MIN_VALUE;

    /** A record's event time, or {@link #NOT_AN_EVENT}; serializable, as it travels inside the strategy. */
    @FunctionalInterface
    public interface EventTime<T> extends ToLongFunction<T>, Serializable {}

    /** A reading's event time, or {@link #NOT_AN_EVENT}. */
    private static final EventTime<Envelope> READING_TIME = e -> e.isEvent() ? e.event.eventTime : NOT_AN_EVENT;

    private final long bound;
    private final long idleMillis;
    private final RelativeClock clock;
    private final ToLongFunction<? super T> eventTime;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private boolean released;

    /** The readings source's generator. */
    @SuppressWarnings("unchecked")
    EventTimeWatermarks(Duration outOfOrderness, Duration idleTimeout, RelativeClock clock) {
        this(outOfOrderness, idleTimeout, clock, (ToLongFunction<? super T>) READING_TIME);
    }

    EventTimeWatermarks(
            Duration outOfOrderness, Duration idleTimeout, RelativeClock clock, ToLongFunction<? super T> eventTime) {
        this.bound = outOfOrderness.toMillis();
        this.idleMillis = idleTimeout.toMillis();
        this.clock = clock;
        this.eventTime = eventTime;
        this.lastEventAt = clock.relativeTimeMillis();
    }

    /** The strategy for the readings source; idleness is timed on the source's input activity clock. */
    public static WatermarkStrategy<Envelope> strategy(Duration outOfOrderness, Duration idleTimeout) {
        return strategy(outOfOrderness, idleTimeout, READING_TIME);
    }

    /**
     * The same for a source of other records: {@code eventTime} gives a record's event time, or
     * {@link #NOT_AN_EVENT} for one that is not an event (its Kafka timestamp is kept, the watermark not moved).
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness, Duration idleTimeout, EventTime<T> eventTime) {
        return WatermarkStrategy.<T>forGenerator(ctx ->
                        new EventTimeWatermarks<T>(outOfOrderness, idleTimeout, ctx.getInputActivityClock(), eventTime))
                .withTimestampAssigner((e, kafkaTimestamp) -> {
                    long t = eventTime.applyAsLong(e);
                    return t == NOT_AN_EVENT ? kafkaTimestamp : t;
                });
    }

    /** The watermark group of the readings source's splits when they are aligned. */
    public static final String ALIGNMENT_GROUP = "vigil-readings";
    /** How often the source's splits report their watermarks to the coordinator and learn the group's. */
    public static final Duration ALIGNMENT_UPDATE = Duration.ofMillis(200);

    /**
     * {@link #strategy}, and with a positive {@code maxDrift} Flink's watermark alignment: a split (Kafka
     * partition) whose watermark runs more than {@code maxDrift} ahead of the slowest is paused until the
     * others catch up. Without it a partition read faster than another keeps everything read since held in
     * the scoring operator, waiting for the slow one's watermark.
     */
    public static WatermarkStrategy<Envelope> strategy(
            Duration outOfOrderness, Duration idleTimeout, Duration maxDrift) {
        return aligned(strategy(outOfOrderness, idleTimeout), maxDrift, ALIGNMENT_GROUP);
    }

    /** {@code s} with watermark alignment in {@code group} when {@code maxDrift} is positive. */
    public static <T> WatermarkStrategy<T> aligned(WatermarkStrategy<T> s, Duration maxDrift, String group) {
        return maxDrift.isZero() ? s : s.withWatermarkAlignment(group, maxDrift, ALIGNMENT_UPDATE);
    }

    @Override
    public void onEvent(T e, long timestamp, WatermarkOutput output) {
        long t = eventTime.applyAsLong(e);
        if (t == NOT_AN_EVENT) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, t);
        lastEventAt = clock.relativeTimeMillis();
        released = false;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        boolean idle = clock.relativeTimeMillis() - lastEventAt >= idleMillis;
        if (maxTimestamp == Long.MIN_VALUE) {
            if (idle) {
                output.markIdle();
            }
            return;
        }
        if (!idle) {
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        } else if (!released) {
            output.emitWatermark(new Watermark(maxTimestamp));
            released = true;
        } else {
            output.markIdle();
        }
    }
}
