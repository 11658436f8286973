package io.vigil.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.TestBundles;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringOperatorTest {

    private static final long STEP = 1_000;
    private static final Duration TTL = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Path store;
    private ScoringModel v1;
    private KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> harness;
    private final Random random = new Random(3);

    @BeforeEach
    void open() throws Exception {
        store = tmp.resolve("store");
        v1 = TestBundles.publish(store, tmp, "v1", 11, 5);
        harness = harness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> harness()
            throws Exception {
        return harness(null);
    }

    /** The operator with {@code records} (null: the sensor stream's). */
    private KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> harness(
            EventRecords records) throws Exception {
        ScoringSettings settings = new ScoringSettings(
                new ModelSource(store.toString(), "test-model"),
                "v1",
                v1.features(),
                Scorer.Settings.defaults(),
                TTL,
                true);
        if (records != null) {
            settings = settings.withRecords(records);
        }
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new ScoringOperator(settings), e -> e.entityId, null, Types.STRING);
    }

    @Test
    void readingsWaitForTheWatermarkAndAreScoredInEventTimeOrder() throws Exception {
        for (long t : new long[] {3, 1, 2, 5}) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        assertThat(scores()).isEmpty();

        harness.processWatermark1(new Watermark(3 * STEP));

        assertThat(scores()).isEmpty(); // 3 events: the window (6) is not full yet, nothing scored
        for (long t = 6; t <= 12; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        push("a", 4 * STEP, TestBundles.normalRow(random, 4)); // out of order, still ahead of the watermark
        harness.processWatermark1(new Watermark(20 * STEP));

        List<Long> times =
                scores().stream().map(s -> s.getEventTime().toEpochMilli()).toList();
        assertThat(times).containsExactly(6 * STEP, 7 * STEP, 8 * STEP, 9 * STEP, 10 * STEP, 11 * STEP, 12 * STEP);
        assertThat(harness.getOutput()).extracting(Object::getClass).contains(Watermark.class);
    }

    @Test
    void aReadingBehindTheWatermarkIsScoredInOrderUnlessItsKeyAlreadyScoredALaterOne() throws Exception {
        for (long t = 1; t <= 10; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(20 * STEP));
        assertThat(scores())
                .extracting(sc -> sc.getEventTime().toEpochMilli())
                .last()
                .isEqualTo(10 * STEP);

        // behind the watermark (its partition lagged) but after key a's latest: scored, in order
        push("a", 12 * STEP, TestBundles.normalRow(random, 12));
        push("a", 11 * STEP, TestBundles.normalRow(random, 11));
        // a second reading at 12, released with them: not after the key's latest, so out of order
        push("a", 12 * STEP, TestBundles.normalRow(random, 12));
        harness.processWatermark1(new Watermark(21 * STEP));
        // behind the watermark and before the key's latest (12): out of order
        push("a", 9 * STEP, TestBundles.normalRow(random, 9));

        assertThat(scores())
                .extracting(sc -> sc.getEventTime().toEpochMilli())
                .containsExactly(6 * STEP, 7 * STEP, 8 * STEP, 9 * STEP, 10 * STEP, 11 * STEP, 12 * STEP);
        List<DeadLetter> late = new ArrayList<>();
        harness.getSideOutput(ScoringOperator.LATE).forEach(r -> late.add(r.getValue()));
        assertThat(late).hasSize(2).allSatisfy(d -> {
            assertThat(d.reason).isEqualTo(DeadLetter.LATE);
            assertThat(d.detail).contains("already scored", "watermark.out-of-orderness");
        });
        var decoder = WireFormat.decoder(io.vigil.schemas.SensorReading.class);
        assertThat(decoder.decode(late.get(0).value).getEventTime().toEpochMilli())
                .isEqualTo(12 * STEP);
        assertThat(decoder.decode(late.get(1).value).getEventTime().toEpochMilli())
                .isEqualTo(9 * STEP);
        assertThat(decoder.decode(late.get(1).value).getEntityId()).isEqualTo("a");
    }

    @Test
    void aPersistingAnomalyOpensOneAlertAndResolvesIt() throws Exception {
        long t = 1;
        for (; t <= 40; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        for (int k = 0; k < 4; k++, t++) {
            double[] row = TestBundles.normalRow(random, t);
            row[2] += 30 * 3; // channel 2 (std 3) jumps by 30 sigma
            push("a", t * STEP, row);
        }
        for (int k = 0; k < 20; k++, t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(t * STEP));

        List<Alert> alerts = alerts();
        assertThat(alerts).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
        Alert open = alerts.get(0);
        assertThat(open.getAlertId()).isEqualTo(alerts.get(1).getAlertId());
        // one event this surprising (30 sigma) opens the alert at once: opened at and raised on the first
        assertThat(open.getOpenedAt().toEpochMilli()).isEqualTo(41 * STEP);
        assertThat(open.getEventTime().toEpochMilli()).isEqualTo(41 * STEP);
        assertThat(open.getSurprise()).isGreaterThanOrEqualTo(open.getThresholdSurprise());
        assertThat(open.getThresholdKind()).isEqualTo("surprise");
        assertThat(open.getTopFeatures().get(0)).isEqualTo("ch2");
        assertThat(open.getChannels().get(0).getName()).isEqualTo("ch2");
        assertThat(open.getScore()).isGreaterThanOrEqualTo(open.getThreshold());
        assertThat(open.getModelVersion()).isEqualTo("v1");
        assertThat(alerts.get(1).getAnomalousEvents()).isGreaterThanOrEqualTo(1);
        assertThat(alerts.get(1).getResolution()).isEqualTo("normal");
    }

    /**
     * The alerts of a key must not depend on how the watermarks fell: here the key's last readings
     * and its expiry are due under the same final watermark (as at the end of a bounded input, or
     * after a restore), versus a watermark after every reading.
     */
    @Test
    void alertsAreTheSameWhetherReadingsAreReleasedOneByOneOrTogetherWithTheKeysExpiry() throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (int t = 1; t <= 50; t++) {
            double[] row = TestBundles.normalRow(random, t);
            if (t > 40 && t <= 44) {
                row[2] += 30 * 3; // an anomaly that opens an alert, then six normal readings
            }
            rows.add(row);
        }
        for (int t = 1; t <= 50; t++) {
            push("a", t * STEP, rows.get(t - 1));
            harness.processWatermark1(new Watermark(t * STEP));
        }
        harness.processWatermark1(Watermark.MAX_WATERMARK);
        List<String> oneByOne = alerts().stream()
                .map(a -> a.getStatus() + "@" + a.getEventTime().toEpochMilli())
                .toList();

        var together = harness();
        together.open();
        for (int t = 1; t <= 44; t++) {
            together.processElement1(event("a", t * STEP, rows.get(t - 1)));
        }
        together.processWatermark1(new Watermark(44 * STEP)); // the alert is open; expiry due at 105 s
        for (int t = 45; t <= 50; t++) {
            together.processElement1(event("a", t * STEP, rows.get(t - 1)));
        }
        together.processWatermark1(Watermark.MAX_WATERMARK);
        List<String> atOnce = new ArrayList<>();
        var decoder = WireFormat.decoder(Alert.class);
        for (Object o : together.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof KafkaMessage m) {
                Alert a = decoder.decode(m.value);
                atOnce.add(a.getStatus() + "@" + a.getEventTime().toEpochMilli());
            }
        }
        together.close();

        assertThat(oneByOne).hasSize(2).first().asString().startsWith("OPEN@");
        assertThat(oneByOne.get(1)).startsWith("RESOLVED@").isNotEqualTo("RESOLVED@105000");
        assertThat(atOnce).containsExactlyElementsOf(oneByOne);
    }

    @Test
    void stateOfAKeyThatGoesAwayIsClearedAfterTheTtl() throws Exception {
        for (long t = 1; t <= 20; t++) {
            push("gone", t * STEP, TestBundles.normalRow(random, t));
            push("stays", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(20 * STEP));
        int bothKeys = harness.numKeyedStateEntries();
        assertThat(bothKeys).isGreaterThan(0);

        long t = 21;
        for (; t * STEP <= 20 * STEP + TTL.toMillis() * 5 / 4 + STEP; t++) {
            push("stays", t * STEP, TestBundles.normalRow(random, t));
            harness.processWatermark1(new Watermark(t * STEP));
        }
        int onlyOne = harness.numKeyedStateEntries();
        assertThat(onlyOne).isLessThan(bothKeys);

        harness.processWatermark1(new Watermark(t * STEP + TTL.toMillis() * 2));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void restoredFromACheckpointItScoresExactlyAsWithoutTheFailure() throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            rows.add(TestBundles.normalRow(random, t));
        }
        // uninterrupted
        for (int t = 0; t < 60; t++) {
            push("a", (t + 1) * STEP, rows.get(t));
        }
        harness.processWatermark1(new Watermark(61 * STEP));
        List<Double> expected = scores().stream().map(EventScore::getScore).toList();

        // interrupted after 30 events (and one held reading), restored into a new operator
        var first = harness();
        first.open();
        for (int t = 0; t < 31; t++) {
            first.processElement1(event("a", (t + 1) * STEP, rows.get(t)));
        }
        first.processWatermark1(new Watermark(30 * STEP));
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        List<Double> got = new ArrayList<>(scoresOf(first));
        first.close();

        var second = harness();
        second.initializeState(snapshot);
        second.open();
        for (int t = 31; t < 60; t++) {
            second.processElement1(event("a", (t + 1) * STEP, rows.get(t)));
        }
        second.processWatermark1(new Watermark(61 * STEP));
        got.addAll(scoresOf(second));
        second.close();

        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void readingsHeldAtACheckpointAreReleasedAfterTheRestoreWithoutAnyNewInput() throws Exception {
        var first = harness();
        first.open();
        for (int t = 0; t < 40; t++) {
            first.processElement1(event("a", (t + 1) * STEP, TestBundles.normalRow(random, t)));
        }
        first.processWatermark1(new Watermark(35 * STEP));
        int before = scoresOf(first).size();
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        first.close();

        var second = harness();
        second.initializeState(snapshot);
        second.open();
        second.processWatermark1(new Watermark(40 * STEP)); // no reading after the restore
        List<Double> released = scoresOf(second);
        second.close();

        assertThat(before).isPositive();
        assertThat(released).hasSize(5); // readings 36..40, held at the checkpoint
    }

    @Test
    void aCheckpointHoldsExactlyTheReadingsNotYetScoredWhateverWasReleasedSinceAnEarlierOne() throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            rows.add(TestBundles.normalRow(random, t));
        }
        var first = harness();
        first.open();
        for (int t = 0; t < 30; t++) {
            first.processElement1(event("a", (t + 1) * STEP, rows.get(t)));
            first.processElement1(event("b", (t + 1) * STEP, rows.get(t)));
        }
        first.processWatermark1(new Watermark(20 * STEP));
        first.snapshot(1, 1); // a and b hold 21..30
        first.processWatermark1(new Watermark(25 * STEP)); // a and b release 21..25
        for (int t = 30; t < 35; t++) {
            first.processElement1(event("a", (t + 1) * STEP, rows.get(t))); // a holds 26..35
        }
        first.processWatermark1(new Watermark(30 * STEP)); // b releases everything it held at checkpoint 1
        OperatorSubtaskState second = first.snapshot(2, 2); // a holds 31..35, b nothing
        List<EventScore> before = decodeScores(first);
        first.close();

        var restored = harness();
        restored.initializeState(second);
        restored.open();
        restored.processWatermark1(new Watermark(50 * STEP));
        List<EventScore> after = decodeScores(restored);
        var late = restored.getSideOutput(ScoringOperator.LATE);
        restored.close();

        assertThat(late == null ? List.of() : late).isEmpty(); // b's readings of checkpoint 1 are not back
        for (String key : List.of("a", "b")) {
            List<Long> times = before.stream()
                    .filter(x -> x.getEntityId().equals(key))
                    .map(x -> x.getEventTime().toEpochMilli())
                    .toList();
            assertThat(times).isSorted().doesNotHaveDuplicates().isNotEmpty();
            assertThat(times.get(times.size() - 1)).isEqualTo(30 * STEP);
        }
        assertThat(after)
                .extracting(x -> x.getEntityId() + "@" + x.getEventTime().toEpochMilli() / STEP)
                .containsExactly("a@31", "a@32", "a@33", "a@34", "a@35");
    }

    @Test
    void anAnnouncedVersionIsSwappedInAndABadOneIsRefused() throws Exception {
        ScoringModel v2 = TestBundles.publish(store, tmp, "v2", 12, 5);
        ModelSource source = new ModelSource(store.toString(), "test-model");
        for (long t = 1; t <= 10; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(10 * STEP));

        harness.processElement2(
                new StreamRecord<>(new ModelUpdate("test-model", "v2", source.uriOf("v2"), "0".repeat(64), 1L)));
        for (long t = 11; t <= 12; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(12 * STEP));
        assertThat(scores()).extracting(EventScore::getModelVersion).containsOnly("v1");

        harness.processElement2(
                new StreamRecord<>(new ModelUpdate("test-model", "v2", source.uriOf("v2"), v2.manifestSha256(), 1L)));
        for (long t = 13; t <= 14; t++) {
            push("a", t * STEP, TestBundles.normalRow(random, t));
        }
        harness.processWatermark1(new Watermark(14 * STEP));
        List<EventScore> all = scores();
        assertThat(all.subList(all.size() - 2, all.size()))
                .extracting(EventScore::getModelVersion)
                .containsOnly("v2");
        assertThat(all.get(all.size() - 1).getWarm()).isTrue(); // migrated, not warming up again
    }

    @Test
    void restoredWithTheStoreGoneItScoresWithTheModelInItsCheckpointAndRefusesAHalfWrittenSwap() throws Exception {
        ScoringModel v2 = TestBundles.publish(store, tmp, "v2", 12, 5);
        ModelSource source = new ModelSource(store.toString(), "test-model");
        var first = harness();
        first.open();
        first.processElement2(
                new StreamRecord<>(new ModelUpdate("test-model", "v2", source.uriOf("v2"), v2.manifestSha256(), 1L)));
        for (int t = 0; t < 20; t++) {
            first.processElement1(event("a", (t + 1) * STEP, TestBundles.normalRow(random, t)));
        }
        first.processWatermark1(new Watermark(20 * STEP));
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        first.close();
        // the store is unreadable when the job restarts: every file of it gone
        org.apache.commons.io.file.PathUtils.deleteDirectory(store);

        var second = harness();
        second.initializeState(snapshot);
        second.open();
        // a v3 announced into the empty store: half-written (only its manifest arrived)
        Files.createDirectories(store.resolve("test-model/v3"));
        Files.writeString(store.resolve("test-model/v3/manifest.json"), "{\"formatVersion\" : 3");
        second.processElement2(
                new StreamRecord<>(new ModelUpdate("test-model", "v3", source.uriOf("v3"), "0".repeat(64), 2L)));
        for (int t = 20; t < 30; t++) {
            second.processElement1(event("a", (t + 1) * STEP, TestBundles.normalRow(random, t)));
        }
        second.processWatermark1(new Watermark(30 * STEP));
        List<EventScore> after = decodeScores(second);
        second.close();

        assertThat(after).hasSize(10).extracting(EventScore::getModelVersion).containsOnly("v2");
        assertThat(after).allSatisfy(x -> assertThat(x.getWarm()).isTrue());
    }

    @Test
    void readingsThatArriveInOrderAreScoredAsTheyComeWithTheScoresAlertsAndDeadLettersOfHoldingThem() throws Exception {
        // as the transaction pipeline's account step emits: at each watermark, every key's readings up to
        // it, key by key, oldest first; key b has an anomaly (an alert opens and resolves), key c a reading
        // at the time of its latest (dead-lettered when same-time readings are duplicates)
        List<List<StreamRecord<SensorEvent>>> groups = new ArrayList<>();
        for (int g = 0; g < 12; g++) {
            List<StreamRecord<SensorEvent>> group = new ArrayList<>();
            for (String key : List.of("a", "b", "c")) {
                for (int t = g * 5 + 1; t <= g * 5 + 5; t++) {
                    double[] row = TestBundles.normalRow(random, t);
                    if (key.equals("b") && t > 40 && t <= 44) {
                        row[2] += 30 * 3;
                    }
                    group.add(event(key, t * STEP, row));
                    if (key.equals("c") && t == 33) {
                        group.add(event(key, t * STEP, TestBundles.normalRow(random, t)));
                    }
                }
            }
            groups.add(group);
        }
        List<String> held = run(null, groups, -1);
        assertThat(held).anyMatch(x -> x.startsWith("alert b OPEN")).anyMatch(x -> x.startsWith("alert b RESOLVED"));
        assertThat(held).filteredOn(x -> x.startsWith("late")).containsExactly("late c 33000");
        assertThat(held).filteredOn(x -> x.startsWith("score")).hasSize(3 * 60 - 3 * 5);

        assertThat(run(new InOrder(), groups, -1)).containsExactlyElementsOf(held);
        // a checkpoint between a group and its watermark: what arrived is scored before the barrier
        assertThat(run(new InOrder(), groups, 6)).containsExactlyElementsOf(held);
    }

    /**
     * Pushes each group, then its watermark (its last reading's time), through the operator with
     * {@code records} (null: the sensor stream's); before group {@code restoreAt}'s watermark, takes a
     * checkpoint as Flink does and goes on in a new operator restored from it. Returns what came out as
     * text, per kind (scores, alerts, dead letters) and key, each key's in the order it came.
     */
    private List<String> run(EventRecords records, List<List<StreamRecord<SensorEvent>>> groups, int restoreAt)
            throws Exception {
        List<String> out = new ArrayList<>();
        var h = harness(records);
        h.open();
        for (int g = 0; g < groups.size(); g++) {
            for (StreamRecord<SensorEvent> r : groups.get(g)) {
                h.processElement1(new StreamRecord<>(copy(r.getValue()), r.getTimestamp()));
            }
            if (g == restoreAt) {
                h.prepareSnapshotPreBarrier(1);
                OperatorSubtaskState snapshot = h.snapshot(1, 1);
                out.addAll(outputOf(h));
                h.close();
                h = harness(records);
                h.initializeState(snapshot);
                h.open();
            }
            long w = groups.get(g).get(groups.get(g).size() - 1).getTimestamp();
            h.processWatermark1(new Watermark(w));
        }
        h.processWatermark1(Watermark.MAX_WATERMARK);
        out.addAll(outputOf(h));
        h.close();
        // keys are scored in batches in any order; each key's own records in the order they came
        out.sort(java.util.Comparator.comparing(x -> x.substring(0, x.indexOf(' ', x.indexOf(' ') + 1))));
        return out;
    }

    private static SensorEvent copy(SensorEvent e) {
        return new SensorEvent(e.entityId, e.eventTime, e.values.clone(), e.ingestTime, e.partition, e.offset);
    }

    private static List<String> outputOf(
            KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> h) throws Exception {
        List<String> out = new ArrayList<>();
        for (EventScore x : decodeScores(h)) {
            out.add("score " + x.getEntityId() + " " + x.getEventTime().toEpochMilli() + " " + x.getScore() + " "
                    + x.getSurprise() + " " + x.getWarm());
        }
        var alerts = WireFormat.decoder(Alert.class);
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof KafkaMessage m) {
                Alert a = alerts.decode(m.value);
                out.add("alert " + a.getEntityId() + " " + a.getStatus() + " "
                        + a.getEventTime().toEpochMilli() + " " + a.getSeverity() + " " + a.getScore());
            }
        }
        var late = h.getSideOutput(ScoringOperator.LATE);
        if (late != null) {
            var readings = WireFormat.decoder(io.vigil.schemas.SensorReading.class);
            for (StreamRecord<DeadLetter> r : late) {
                var reading = readings.decode(r.getValue().value);
                out.add("late " + reading.getEntityId() + " "
                        + reading.getEventTime().toEpochMilli());
            }
        }
        return out;
    }

    /** Sensor records, with the readings taken as arriving in order (as the transaction pipeline's do). */
    private static final class InOrder implements EventRecords {
        private static final long serialVersionUID = 1L;

        @Override
        public KafkaMessage alert(
                String key,
                io.vigil.scoring.KeyState s,
                io.vigil.scoring.ScoreView v,
                SensorEvent e,
                AlertStatus status,
                String resolution,
                long now) {
            return SensorRecords.INSTANCE.alert(key, s, v, e, status, resolution, now);
        }

        @Override
        public KafkaMessage expired(
                String key, io.vigil.scoring.KeyState s, long eventTime, long now, String modelId, String version) {
            return SensorRecords.INSTANCE.expired(key, s, eventTime, now, modelId, version);
        }

        @Override
        public KafkaMessage score(String key, io.vigil.scoring.ScoreView v, SensorEvent e, long now) {
            return SensorRecords.INSTANCE.score(key, v, e, now);
        }

        @Override
        public DeadLetter late(SensorEvent e, long keyAt, long watermark, io.vigil.scoring.FeatureSpec features) {
            return SensorRecords.INSTANCE.late(e, keyAt, watermark, features);
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializer<SensorEvent> eventSerializer() {
            return SensorRecords.INSTANCE.eventSerializer();
        }

        @Override
        public boolean sameTimeInOrder() {
            return false;
        }

        @Override
        public boolean arriveInOrder() {
            return true;
        }
    }

    private void push(String key, long time, double[] values) throws Exception {
        harness.processElement1(event(key, time, values));
    }

    private static StreamRecord<SensorEvent> event(String key, long time, double[] values) {
        return new StreamRecord<>(new SensorEvent(key, time, values, time, 0, time), time);
    }

    private List<EventScore> scores() {
        return new ArrayList<>(decodeScores(harness));
    }

    private static List<Double> scoresOf(
            KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> h) {
        return decodeScores(h).stream().map(EventScore::getScore).toList();
    }

    private static List<EventScore> decodeScores(
            KeyedTwoInputStreamOperatorTestHarness<String, SensorEvent, ModelUpdate, KafkaMessage> h) {
        List<EventScore> out = new ArrayList<>();
        var decoder = WireFormat.decoder(EventScore.class);
        var side = h.getSideOutput(ScoringOperator.SCORES);
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

    private List<Alert> alerts() throws Exception {
        List<Alert> out = new ArrayList<>();
        var decoder = WireFormat.decoder(Alert.class);
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof KafkaMessage m) {
                out.add(decoder.decode(m.value));
            }
        }
        return out;
    }
}
