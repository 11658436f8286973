package io.vigil.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.TestBundles;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Kafka partition's own progress releases its readings ({@link HeldReadings#releaseAhead}): what
 * a key holds is bounded by its partition's out-of-orderness, whatever the job's watermark (the
 * slowest partition's) does; a stream out of order within the bound is still scored once, in order.
 */
class PartitionReleaseTest {

    @TempDir
    Path tmp;

    private static final long STEP = 1_000;
    private static final long BOUND = 3 * STEP;
    private static final int WINDOW = 6; // TestBundles' window: a key is scored from its 6th reading

    private KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> harness;
    private final Random random = new Random(5);
    private long clock;

    private ScoringSettings settings;

    @BeforeEach
    void open() throws Exception {
        Path store = tmp.resolve("store");
        ScoringModel v1 = TestBundles.publish(store, tmp, "v1", 11, 5);
        settings = new ScoringSettings(
                        new ModelSource(store.toString(), "test-model"),
                        "v1",
                        v1.features(),
                        Scorer.Settings.defaults(),
                        Duration.ofHours(1),
                        true)
                .withOutOfOrderness(Duration.ofMillis(BOUND));
        harness = newHarness();
        harness.open();
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> newHarness()
            throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new ScoringOperator(settings), e -> e.entityId, null, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aLaggingPartitionDoesNotHoldBackTheReadingsOfAnother() throws Exception {
        push("b", 1, 1);
        push("b", 2, 1); // partition 1 then lags: the job's watermark stays at 2
        harness.processWatermark1(new Watermark(2 * STEP));
        for (long t = 1; t <= 200; t++) {
            push("a", t, 0);
            tick();
        }

        // everything of a more than the bound behind partition 0's newest reading (200) is scored: 6..196
        assertThat(times("a")).containsExactlyElementsOf(range(WINDOW, 196));

        harness.processWatermark1(Watermark.MAX_WATERMARK);
        assertThat(times("a")).containsExactlyElementsOf(range(WINDOW, 200));
        assertThat(harness.getSideOutput(ScoringOperator.LATE)).isNull();
    }

    @Test
    void readingsOutOfOrderWithinTheBoundAreScoredOnceAndInOrder() throws Exception {
        // blocks of three readings arrive newest first: each at most 2 steps behind the newest seen, within the bound
        for (long block = 0; block < 100; block++) {
            for (long k = 2; k >= 0; k--) {
                push("a", 1 + 3 * block + k, 0);
                push("b", 1 + 3 * block + k, 0);
            }
            tick();
        }
        assertThat(times("a"))
                .as("released by partition 0's own progress alone")
                .hasSizeGreaterThan(280);

        harness.processWatermark1(Watermark.MAX_WATERMARK);
        assertThat(times("a")).containsExactlyElementsOf(range(WINDOW, 300));
        assertThat(times("b")).containsExactlyElementsOf(range(WINDOW, 300));
        assertThat(harness.getSideOutput(ScoringOperator.LATE)).isNull();
    }

    @Test
    void aKeySeenOnTwoPartitionsWaitsForTheJobsWatermark() throws Exception {
        for (long t = 1; t <= 20; t++) {
            push("c", t, 0);
        }
        tick();
        assertThat(times("c")).containsExactlyElementsOf(range(WINDOW, 16));
        for (long t = 21; t <= 40; t++) {
            push("c", t, 1); // c now also arrives on partition 1
        }
        for (long t = 1; t <= 100; t++) {
            push("a", t, 0);
        }
        tick();
        assertThat(times("c"))
                .as("c's later readings wait for the watermark")
                .containsExactlyElementsOf(range(WINDOW, 16));
        assertThat(times("a")).containsExactlyElementsOf(range(WINDOW, 96));

        harness.processWatermark1(new Watermark(50 * STEP));
        assertThat(times("c")).containsExactlyElementsOf(range(WINDOW, 40));
        assertThat(harness.getSideOutput(ScoringOperator.LATE)).isNull();
    }

    @Test
    void aNewKeyReleasedTwiceByOneWatermarkKeepsAllItsReadings() throws Exception {
        // the watermark releases d's readings 1..5, then partition 0's progress (20) those up to 16: two runs
        // of a key that has no state yet, before the batch is scored; each must continue from the one before
        for (long t = 1; t <= 20; t++) {
            push("d", t, 0);
        }
        harness.processWatermark1(new Watermark(5 * STEP));
        assertThat(times("d")).containsExactlyElementsOf(range(WINDOW, 16));

        harness.processWatermark1(Watermark.MAX_WATERMARK);
        assertThat(times("d")).containsExactlyElementsOf(range(WINDOW, 20));
        assertThat(harness.getSideOutput(ScoringOperator.LATE)).isNull();
    }

    @Test
    void aWatermarkReleasingMoreKeysThanASliceScoresThemInLaterActionsAndForwardsItOnceAllAreScored() throws Exception {
        // a fleet in step: every key's reading of a step shares one timestamp, so one watermark releases them all
        int keys = 2 * ScoringOperator.RELEASE_SLICE_KEYS + 500;
        pushInStep(keys);
        harness.processWatermark1(new Watermark(WINDOW * STEP));
        assertThat(scoredKeys())
                .as("one slice in the watermark's own action")
                .isEqualTo(ScoringOperator.RELEASE_SLICE_KEYS);
        assertThat(watermarks())
                .as("not forwarded before all it released is scored")
                .isEmpty();

        harness.setProcessingTime(clock); // the continuation runs as a timer due now, one slice per action
        assertThat(scoredKeyNames()).as("every key once").containsExactlyInAnyOrderElementsOf(keyNames(keys));
        assertThat(watermarks()).containsExactly(WINDOW * STEP);
        assertThat(harness.getSideOutput(ScoringOperator.LATE)).isNull();
    }

    @Test
    void aCheckpointBetweenSlicesKeepsTheReadingsNotYetReleasedAndScoresEachOnceAfterTheRestore() throws Exception {
        int keys = ScoringOperator.RELEASE_SLICE_KEYS + 300;
        pushInStep(keys);
        harness.processWatermark1(new Watermark(WINDOW * STEP));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1); // a barrier between two slices
        int before = scoredKeys();
        assertThat(before).isEqualTo(ScoringOperator.RELEASE_SLICE_KEYS);
        List<String> scoredBefore = scoredKeyNames();
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark1(new Watermark(WINDOW * STEP));
        harness.setProcessingTime(clock);
        List<String> scoredAfter = scoredKeyNames();

        assertThat(scoredAfter).hasSize(keys - before).doesNotContainAnyElementsOf(scoredBefore);
        List<String> all = new ArrayList<>(scoredBefore);
        all.addAll(scoredAfter);
        assertThat(all).as("every key once over both").containsExactlyInAnyOrderElementsOf(keyNames(keys));
        assertThat(watermarks()).containsExactly(WINDOW * STEP);
    }

    @Test
    void aWatermarkThatExpiresMoreKeysThanASliceFiresTheirTimersInLaterActionsAndForwardsItOnceAllHaveFired()
            throws Exception {
        int keys = 2 * ScoringOperator.RELEASE_SLICE_KEYS + 500;
        pushInStep(keys);
        harness.processWatermark1(new Watermark(WINDOW * STEP));
        harness.setProcessingTime(clock);
        assertThat(scoredKeys()).isEqualTo(keys);
        assertThat(harness.numEventTimeTimers()).as("one expiry timer per key").isEqualTo(keys);

        long silent = WINDOW * STEP + Duration.ofHours(2).toMillis(); // every key silent past its TTL (1 h)
        harness.processWatermark1(new Watermark(silent));
        assertThat(harness.numEventTimeTimers())
                .as("one slice of expiries in the watermark's own action")
                .isEqualTo(keys - ScoringOperator.RELEASE_SLICE_KEYS);
        assertThat(watermarks())
                .as("not forwarded before every due expiry has fired")
                .containsExactly(WINDOW * STEP);

        harness.setProcessingTime(clock); // the continuation, one slice per action
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries())
                .as("every key's state dropped")
                .isZero();
        assertThat(watermarks()).containsExactly(WINDOW * STEP, silent);
    }

    @Test
    void theEndOfTheInputScoresEveryHeldReadingAndFiresEveryExpiryBeforeItReturns() throws Exception {
        int keys = 2 * ScoringOperator.RELEASE_SLICE_KEYS + 500;
        pushInStep(keys);
        harness.endInput1();

        assertThat(scoredKeyNames()).as("every key once").containsExactlyInAnyOrderElementsOf(keyNames(keys));
        assertThat(harness.numEventTimeTimers()).as("every key's expiry fired").isZero();
        assertThat(harness.numKeyedStateEntries())
                .as("every key's state dropped")
                .isZero();
        assertThat(watermarks()).containsExactly(Long.MAX_VALUE);
    }

    /** Keys with a score (each key here scores one reading: its window's first). */
    private int scoredKeys() {
        return scoredKeyNames().size();
    }

    private List<String> scoredKeyNames() {
        return scores().stream().map(s -> s.getEntityId().toString()).toList();
    }

    /** The score records the operator has written, decoded. */
    private List<EventScore> scores() {
        List<EventScore> out = new ArrayList<>();
        var decoder = WireFormat.decoder(EventScore.class);
        var side = harness.getSideOutput(ScoringOperator.SCORES);
        if (side != null) {
            for (StreamRecord<KafkaMessage> r : side) {
                try {
                    out.add(decoder.decode(r.getValue().value));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    private static List<String> keyNames(int keys) {
        return java.util.stream.IntStream.range(0, keys).mapToObj(k -> "k" + k).toList();
    }

    private List<Long> watermarks() {
        return harness.getOutput().stream()
                .filter(o -> o instanceof Watermark)
                .map(o -> ((Watermark) o).getTimestamp())
                .toList();
    }

    /** A window of readings for each of {@code keys} keys, every key's reading of a step at one timestamp. */
    private void pushInStep(int keys) throws Exception {
        for (long step = 1; step <= WINDOW; step++) {
            for (int k = 0; k < keys; k++) {
                push("k" + k, step, 0);
            }
        }
    }

    private void push(String key, long step, int partition) throws Exception {
        long time = step * STEP;
        harness.processElement1(new StreamRecord<>(
                new SensorEvent(key, time, TestBundles.normalRow(random, step), time, partition, step), time));
    }

    /** Lets the operator's release tick run. */
    private void tick() throws Exception {
        clock += ScoringOperator.RELEASE_TICK_MILLIS;
        harness.setProcessingTime(clock);
    }

    private List<Long> times(String key) {
        return scores().stream()
                .filter(s -> s.getEntityId().equals(key))
                .map(s -> s.getEventTime().toEpochMilli() / STEP)
                .toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
