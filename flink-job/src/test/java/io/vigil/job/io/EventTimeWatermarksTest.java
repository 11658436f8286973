package io.vigil.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

class EventTimeWatermarksTest {

    private final MutableClock clock = new MutableClock();
    private final Recorder out = new Recorder();
    private final EventTimeWatermarks gen =
            new EventTimeWatermarks(Duration.ofMillis(100), Duration.ofSeconds(2), clock);

    @Test
    void holdsBackByTheBoundWhileDataFlows() {
        gen.onEvent(event(1_000), 1_000, out);
        gen.onEvent(event(1_500), 1_500, out);
        gen.onEvent(event(1_200), 1_200, out); // out of order: does not move the watermark back
        gen.onPeriodicEmit(out);

        assertThat(out.watermarks).containsExactly(1_399L);
        assertThat(out.idle).isZero();
    }

    @Test
    void aSilentPartitionReleasesWhatItHoldsThenGoesIdle() {
        gen.onEvent(event(5_000), 5_000, out);
        clock.advance(2_000);
        gen.onPeriodicEmit(out);
        gen.onPeriodicEmit(out);

        assertThat(out.watermarks).containsExactly(5_000L);
        assertThat(out.idle).isEqualTo(1);

        gen.onEvent(event(6_000), 6_000, out); // data again: back to the bounded watermark
        gen.onPeriodicEmit(out);
        assertThat(out.watermarks).containsExactly(5_000L, 5_899L);
    }

    @Test
    void deadLettersDoNotMoveTheWatermark() {
        gen.onEvent(Envelope.dead(new DeadLetter()), Long.MAX_VALUE - 5, out);
        gen.onPeriodicEmit(out);
        assertThat(out.watermarks).isEmpty();
        clock.advance(2_000);
        gen.onPeriodicEmit(out);
        assertThat(out.idle).isEqualTo(1);
    }

    private static Envelope event(long t) {
        return Envelope.of(new SensorEvent("k", t, new double[] {1}, t, 0, 0));
    }

    private static final class Recorder implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle++;
        }

        @Override
        public void markActive() {}
    }

    /** The source's input activity clock: it only moves while the source could emit. */
    private static final class MutableClock implements RelativeClock {
        private long now = 1_000_000;

        void advance(long ms) {
            now += ms;
        }

        @Override
        public long relativeTimeMillis() {
            return now;
        }

        @Override
        public long relativeTimeNanos() {
            return now * 1_000_000;
        }
    }

    @Test
    void alignmentIsOnlyAskedForWithAPositiveDrift() {
        assertThat(EventTimeWatermarks.strategy(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ZERO)
                        .getAlignmentParameters()
                        .isEnabled())
                .isFalse();
        var params = EventTimeWatermarks.strategy(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .getAlignmentParameters();
        assertThat(params.isEnabled()).isTrue();
        assertThat(params.getWatermarkGroup()).isEqualTo(EventTimeWatermarks.ALIGNMENT_GROUP);
        assertThat(params.getMaxAllowedWatermarkDrift()).isEqualTo(3_000);
        assertThat(params.getUpdateInterval()).isEqualTo(200);
    }
}
