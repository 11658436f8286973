package io.vigil.job.io;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Per-partition watermarks from the readings' event time: bounded out-of-orderness while data flows;
 * once a partition has been silent for the idle timeout it first releases what it holds (watermark at
 * its newest event time: nothing older can still be in flight after that long) and then goes idle,
 * so it neither keeps its last readings unscored nor holds back the other partitions. Dead letters do
 * not move the watermark: their timestamps are not event times.
 *
 * <p>Silence is measured on the source's input activity clock, which stands still while the source is
 * backpressured: a source that cannot emit is not a silent one, and must not release early.
 */
public final class EventTimeWatermarks implements WatermarkGenerator<Envelope>, Serializable {

    private static final long serialVersionUID = 1L;

    private final long bound;
    private final long idleMillis;
    private final RelativeClock clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private boolean released;

    EventTimeWatermarks(Duration outOfOrderness, Duration idleTimeout, RelativeClock clock) {
        this.bound = outOfOrderness.toMillis();
        this.idleMillis = idleTimeout.toMillis();
        this.clock = clock;
        this.lastEventAt = clock.relativeTimeMillis();
    }

    /** The strategy for the readings source; idleness is timed on the source's input activity clock. */
    public static WatermarkStrategy<Envelope> strategy(Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<Envelope>forGenerator(
                        ctx -> new EventTimeWatermarks(outOfOrderness, idleTimeout, ctx.getInputActivityClock()))
                .withTimestampAssigner((e, kafkaTimestamp) -> e.isEvent() ? e.event.eventTime : kafkaTimestamp);
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
    public static WatermarkStrategy<Envelope> strategy(Duration outOfOrderness, Duration idleTimeout, Duration maxDrift) {
        WatermarkStrategy<Envelope> s = strategy(outOfOrderness, idleTimeout);
        return maxDrift.isZero() ? s : s.withWatermarkAlignment(ALIGNMENT_GROUP, maxDrift, ALIGNMENT_UPDATE);
    }

    @Override
    public void onEvent(Envelope e, long timestamp, WatermarkOutput output) {
        if (!e.isEvent()) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, e.event.eventTime);
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
