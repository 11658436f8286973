package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which outputs a checkpoint overlaps, and the latency of each side. */
class CheckpointOverlapTest {

    private static CheckpointOverlap.Span span(long id, long trigger, long end, long sync, long alignment) {
        return new CheckpointOverlap.Span(
                id, "COMPLETED", trigger, end, sync, "task-" + id, alignment, "align-" + id, id * 10);
    }

    @Test
    void anOutputWhoseLifeOverlapsACheckpointCountsAsDuringIt() {
        CheckpointOverlap.Outputs o = new CheckpointOverlap.Outputs();
        o.add(1_000, 50); // 1000-1050: before the checkpoint at 2000
        o.add(1_900, 400); // 1900-2300: written while it runs
        o.add(2_100, 20); // 2100-2120: inside it
        o.add(2_400, 900); // 2400-3300: arrived after its end (2500)? no, at 2400, before: during
        o.add(2_600, 30); // 2600-2630: after its end (within 3 s)
        o.add(3_990, 10); // 3990-4000: written exactly at the next trigger: during
        o.add(7_200, 60); // 7200-7260: more than 3 s after the second's end (4100): quiet
        CheckpointOverlap.Split s = CheckpointOverlap.split(
                o, List.of(span(2, 4_000, 4_100, 7, 3), span(1, 2_000, 2_500, 12, 9)), 0, 10_000);

        assertThat(s.checkpoints()).isEqualTo(2);
        assertThat(s.longestMillis()).isEqualTo(500);
        assertThat(s.quiet()).isEqualTo(2);
        assertThat(s.quietMax()).isEqualTo(60.0);
        assertThat(s.after()).isEqualTo(1);
        assertThat(s.afterMax()).isEqualTo(30.0);
        assertThat(s.during()).isEqualTo(4);
        assertThat(s.duringMax()).isEqualTo(900.0);
        assertThat(s.duringP50()).isEqualTo(20.0); // 10, 20, 400, 900: the second of four
        assertThat(s.longestSyncMillis()).isEqualTo(12);
        assertThat(s.syncVertex()).isEqualTo("task-1");
        assertThat(s.longestAlignmentMillis()).isEqualTo(9);
        assertThat(s.longestStartDelayMillis()).isEqualTo(20);
    }

    @Test
    void overlappingCheckpointsCoverUpToTheLatestEndOfAnyEarlierOne() {
        CheckpointOverlap.Outputs o = new CheckpointOverlap.Outputs();
        o.add(2_800, 300); // 2800-3100: after checkpoint 2's end (2700) but before checkpoint 1's (3000)
        o.add(3_200, 10); // after both
        o.add(5_800, 20); // 2.8 s after checkpoint 1's end, 3.1 s after checkpoint 2's: still after
        CheckpointOverlap.Split s = CheckpointOverlap.split(
                o, List.of(span(1, 1_000, 3_000, 1, 1), span(2, 2_000, 2_700, 1, 1)), 0, 10_000);

        assertThat(s.during()).isEqualTo(1);
        assertThat(s.duringMax()).isEqualTo(300.0);
        assertThat(s.after()).isEqualTo(2);
        assertThat(s.afterMax()).isEqualTo(20.0);
        assertThat(s.quiet()).isZero();
    }

    @Test
    void checkpointsOutsideTheMeasuredTimeAreLeftOut() {
        CheckpointOverlap.Outputs o = new CheckpointOverlap.Outputs();
        o.add(7_000, 40); // 3.5 s after the last checkpoint's end: quiet
        o.add(6_000, 70); // 2.5 s after a checkpoint that ended before the measured time: after it
        CheckpointOverlap.Split s = CheckpointOverlap.split(
                o,
                List.of(
                        span(1, 1_000, 1_500, 900, 900),
                        span(3, 3_000, 3_500, 700, 700),
                        span(2, 20_000, 20_100, 800, 800)),
                4_000,
                10_000);

        assertThat(s.checkpoints()).isZero();
        assertThat(s.after()).isEqualTo(1);
        assertThat(s.afterMax()).isEqualTo(70.0);
        assertThat(s.quiet()).isEqualTo(1);
        assertThat(s.quietMax()).isEqualTo(40.0);
        assertThat(s.during()).isZero();
        assertThat(s.duringP99()).isNaN();
        assertThat(s.longestSyncMillis()).isEqualTo(-1);
    }

    @Test
    void outputsGrowPastTheirFirstCapacity() {
        CheckpointOverlap.Outputs o = new CheckpointOverlap.Outputs();
        for (int i = 0; i < 200_000; i++) {
            o.add(i, i % 100);
        }
        CheckpointOverlap.Split s = CheckpointOverlap.split(o, List.of(), 0, 1_000_000);

        assertThat(o.size()).isEqualTo(200_000);
        assertThat(s.quiet()).isEqualTo(200_000);
        assertThat(s.quietP99()).isEqualTo(98.0);
        assertThat(s.quietMax()).isEqualTo(99.0);
    }
}
