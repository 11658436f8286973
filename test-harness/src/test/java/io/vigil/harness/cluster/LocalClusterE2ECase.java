package io.vigil.harness.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.schemas.Alert;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end on the real thing: deploy/local's Kafka broker and Flink standalone cluster (a
 * JobManager and two TaskManagers, separate JVMs), the shaded job jar submitted with {@code flink
 * run}, generated labelled readings with garbage among them, alerts read with {@code read_committed}.
 * Each case prints its figures (and appends them to {@code target/e2e/figures.md}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterE2ECase {

    private static final int ENTITIES = 40;
    private static final int WINDOW = 16;
    private static final String MODEL = "e2e-sensors";

    private static Path work;
    private static LocalStack stack;
    private static Path jar;
    private static Path store;
    private static SensorStreamGenerator history;

    @BeforeAll
    static void startStack() throws Exception {
        Path repo = LocalStack.repository();
        work = repo.resolve("test-harness/target/e2e");
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        jar = LocalStack.shadedJobJar(repo);
        long started = System.nanoTime();
        stack = LocalStack.start(repo, work.resolve("run"));
        figure("stack", "Kafka broker + JobManager + 2 TaskManagers started in %.1f s", seconds(started));
        store = work.resolve("store");
        history = new SensorStreamGenerator(live(1).config())
                .history(101, live(1).config().start().minusSeconds(1600), 1600);
        publish(train("e2e-v1", 42), null);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A live stream of the fleet: the same sensors as the history, anomalies of every kind. */
    private static SensorStreamGenerator live(long seed) {
        return live(seed, 1200, 3);
    }

    /** {@link #live(long)} with {@code events} readings and {@code anomalies} anomalies per sensor. */
    private static SensorStreamGenerator live(long seed, int events, int anomalies) {
        return new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(events)
                .anomaliesPerEntity(anomalies)
                .seed(seed)
                .build());
    }

    /** Trains a bundle of the fleet (into work/bundle-version) and returns its directory. */
    private static Path train(String version, long seed) throws Exception {
        TrainingConfig config = TrainingConfig.builder()
                .modelId(MODEL)
                .version(version)
                .windowLength(WINDOW)
                .lstmHidden(16)
                .aeHidden(32, 8, 32)
                .maxEpochs(8)
                .patience(2)
                .seed(seed)
                .build();
        Path bundle = work.resolve("bundle-" + version);
        new Trainer(config, ProgressListener.silent())
                .train(TrainingHistory.of(history))
                .writeTo(bundle);
        return bundle;
    }

    /** Publishes a trained bundle to the store, and announces it on {@code announceTopic} unless that is null. */
    private static Publication publish(Path bundle, String announceTopic) throws Exception {
        PublishOptions options = PublishOptions.toStore(store);
        options = announceTopic == null
                ? options.withoutAnnouncement()
                : options.withKafka(stack.bootstrapServers()).withTopic(announceTopic);
        return new Publisher(options).publish(bundle);
    }

    @Test
    @Order(1)
    void aKilledTaskManagerLosesNothingAndDuplicatesNothing() throws Exception {
        String p = "kill";
        FaultRun run = FaultRun.prepare(p, live(7));

        String jobB = stack.submit(jar, 2, null, args(p, "b", true));
        CommittedRecords.await(
                stack.bootstrapServers(), p + "-scores-b", run.expectedScores() / 4, Duration.ofMinutes(3));
        long killed = System.nanoTime();
        stack.killTaskManager(1);
        stack.startTaskManager(3);
        Awaitility.await("job b running again on the new TaskManager")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.allTasksRunning(jobB) || "FINISHED".equals(stack.jobState(jobB)));
        double recovery = seconds(killed);
        stack.awaitState(jobB, "FINISHED", Duration.ofMinutes(5));

        figure(
                p,
                "records in %,d (+%d garbage); failure-free run %.1f s; TaskManager 1 killed (SIGKILL) after"
                        + " %,d scores, a new TaskManager started, all tasks running again after %.1f s",
                run.sent().readings(),
                run.sent().garbageTotal(),
                run.secondsA(),
                run.expectedScores() / 4,
                recovery);
        run.compareWithFailureFree();
    }

    /**
     * A bounded job over one input run twice: failure-free (job a, before the fault) and under a fault (job
     * b, by the case), each into topics of its own ({@code <p>-alerts-a}, {@code <p>-scores-b}, ...).
     */
    private record FaultRun(
            String p, KafkaReadingWriter.Report sent, long expectedScores, double secondsA, long inputEnd) {

        /** Creates the topics, writes the input (0.5 % garbage) and runs job a to its end. */
        static FaultRun prepare(String p, SensorStreamGenerator live) throws Exception {
            stack.createTopics(
                    p + "-readings:4",
                    p + "-alerts-a:2",
                    p + "-alerts-b:2",
                    p + "-scores-a:4",
                    p + "-scores-b:4",
                    p + "-dlq-a:1",
                    p + "-dlq-b:1",
                    p + "-models:1:cleanup.policy=compact");
            KafkaReadingWriter.Report sent = produce(live, p + "-readings", 0.005, 0);
            long expectedScores = (long) ENTITIES * (live.config().eventsPerEntity() - WINDOW + 1);
            long startA = System.nanoTime();
            String jobA = stack.submit(jar, 2, null, args(p, "a", true));
            stack.awaitState(jobA, "FINISHED", Duration.ofMinutes(5));
            long inputEnd = live.readings().stream()
                    .mapToLong(r -> r.eventTime().toEpochMilli())
                    .max()
                    .orElseThrow();
            return new FaultRun(p, sent, expectedScores, seconds(startA), inputEnd);
        }

        /** {@link #compareWithFailureFree(boolean)} of a bounded job b. */
        void compareWithFailureFree() throws IOException {
            compareWithFailureFree(false);
        }

        /**
         * Job b's committed outputs against job a's: every reading scored once and as in job a, the same alert
         * records, every garbage record dead-lettered once; prints the figures, then asserts them. Job a is
         * bounded: at its end the watermark jumps past every key's state TTL and the open alerts are resolved
         * by expiry, at an event time after the input's; an unbounded job b ({@code bUnbounded}) never gets
         * there, so those records of job a are then left out of the comparison (and counted in the figure).
         */
        void compareWithFailureFree(boolean bUnbounded) throws IOException {
            Set<String> allA = alertKeys(p + "-alerts-a");
            Set<String> alertsA = new HashSet<>(allA);
            if (bUnbounded) {
                alertsA.removeIf(k -> Long.parseLong(k.substring(k.lastIndexOf(' ') + 1)) > inputEnd);
            }
            Set<String> alertsB = alertKeys(p + "-alerts-b");
            List<String> scoresB = scoreKeys(p + "-scores-b");
            int deadA = CommittedRecords.read(stack.bootstrapServers(), p + "-dlq-a")
                    .size();
            int deadB = CommittedRecords.read(stack.bootstrapServers(), p + "-dlq-b")
                    .size();
            Set<String> lost = new TreeSet<>(alertsA);
            lost.removeAll(alertsB);
            Set<String> extra = new TreeSet<>(alertsB);
            extra.removeAll(alertsA);
            long duplicatedScores = scoresB.size() - new HashSet<>(scoresB).size();
            figure(
                    p,
                    "alerts %d (failure-free %d, and %d resolved by expiry after the input's end left out),"
                            + " lost %d, extra %d; scores %,d of %,d, duplicated %d; dead-lettered %d (failure-free %d)",
                    alertsB.size(),
                    alertsA.size(),
                    allA.size() - alertsA.size(),
                    lost.size(),
                    extra.size(),
                    new HashSet<>(scoresB).size(),
                    expectedScores,
                    duplicatedScores,
                    deadB,
                    deadA);

            assertThat(alertsA).isNotEmpty();
            assertThat(scoreKeys(p + "-scores-a"))
                    .as(
                            "scores of the failure-free run; the topic: %s",
                            CommittedRecords.visibility(stack.bootstrapServers(), p + "-scores-a"))
                    .hasSize((int) expectedScores);
            assertThat(duplicatedScores).isZero();
            assertThat(scoresB)
                    .as(
                            "scores after the failure; the topic: %s",
                            CommittedRecords.visibility(stack.bootstrapServers(), p + "-scores-b"))
                    .hasSize((int) expectedScores);
            List<String> differing = differingScores(p + "-scores-a", p + "-scores-b");
            assertThat(differing)
                    .as("events scored differently after the failure (of %,d)", expectedScores)
                    .isEmpty();
            assertThat(alertsB)
                    .as(
                            "alert records after the failure vs a failure-free run over the same input;"
                                    + " only in the failure-free run: %s; only after the failure: %s",
                            lost, extra)
                    .isEqualTo(alertsA);
            assertThat(deadB).isEqualTo(deadA).isEqualTo((int) sent.garbageTotal());
        }
    }

    @Test
    @Order(2)
    void aSavepointResumedAtAnotherParallelismKeepsWarmKeysScoring() throws Exception {
        String p = "rescale";
        createTopicsOfOneJob(p);
        SensorStreamGenerator live = live(8);
        List<LabeledReading> all = live.readings();
        int half = live.config().eventsPerEntity() / 2;
        Predicate<LabeledReading> firstHalf = firstEvents(all, half);
        produce(all.stream().filter(firstHalf).toList(), live.channels(), p + "-readings");
        String job = stack.submit(jar, 2, null, args(p, "", false));
        long firstScores = (long) ENTITIES * (half - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", firstScores, Duration.ofMinutes(3));
        long stopped = System.nanoTime();
        String savepoint = stack.stopWithSavepoint(job);
        double stopSeconds = seconds(stopped);
        long resumed = System.nanoTime();
        String job2 = stack.submit(jar, 1, savepoint, args(p, "", false));
        stack.awaitState(job2, "RUNNING", Duration.ofMinutes(2));
        double resumeSeconds = seconds(resumed);
        produce(all.stream().filter(firstHalf.negate()).toList(), live.channels(), p + "-readings");
        long allScores = (long) ENTITIES * (2 * half - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", allScores, Duration.ofMinutes(3));
        stack.cancel(job2);

        Map<String, List<EventScore>> byKey = new HashMap<>();
        for (EventScore s : scores(p + "-scores")) {
            byKey.computeIfAbsent(s.getEntityId(), k -> new ArrayList<>()).add(s);
        }
        Map<String, Instant> firstSecondHalf = new HashMap<>();
        for (LabeledReading r : all) {
            if (!firstHalf.test(r)) {
                firstSecondHalf.merge(r.entityId(), r.eventTime(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        int warmAtOnce = 0;
        for (Map.Entry<String, Instant> e : firstSecondHalf.entrySet()) {
            boolean warm = byKey.get(e.getKey()).stream()
                    .filter(s -> !s.getEventTime().isBefore(e.getValue()))
                    .allMatch(s -> s.getWarm());
            long after = byKey.get(e.getKey()).stream()
                    .filter(s -> !s.getEventTime().isBefore(e.getValue()))
                    .count();
            warmAtOnce += warm && after == half ? 1 : 0;
        }
        List<String> keys = byKey.values().stream()
                .flatMap(List::stream)
                .map(s -> s.getEntityId() + "@" + s.getEventTime().toEpochMilli())
                .toList();
        figure(
                "rescale",
                "stop with savepoint %.1f s, resumed at parallelism 2 -> 1 in %.1f s (%s);"
                        + " %d of %d keys scored their first reading after the resume at once and warm (state carried);"
                        + " scores %,d of %,d, duplicated %d",
                stopSeconds,
                resumeSeconds,
                savepoint.substring(savepoint.lastIndexOf('/') + 1),
                warmAtOnce,
                ENTITIES,
                new HashSet<>(keys).size(),
                allScores,
                keys.size() - new HashSet<>(keys).size());
        assertThat(warmAtOnce).isEqualTo(ENTITIES);
        assertThat(keys).doesNotHaveDuplicates().hasSize((int) allScores);
    }

    @Test
    @Order(3)
    void aNewModelIsSwappedInUnderLoadAndABadOneIsRefused() throws Exception {
        String p = "swap";
        createTopicsOfOneJob(p);
        // 60 s of readings at 4,000/s: the swap and both refusals happen while they flow, with room for a busy
        // machine (reading the score topic to see the swap takes seconds there)
        SensorStreamGenerator live = live(9, 6000, 6);
        Path v2Bundle = train("e2e-v2", 43);
        Path v3Bundle = train("e2e-v3", 44);
        Path v4Bundle = train("e2e-v4", 45);
        String job = stack.submit(jar, 2, null, args(p, "", false));
        stack.awaitState(job, "RUNNING", Duration.ofMinutes(1));
        Thread producer = new Thread(() -> produce(live, p + "-readings", 0.0, 4_000));
        producer.start();
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", 10_000, Duration.ofMinutes(2));

        long swapStarted = System.nanoTime();
        publish(v2Bundle, p + "-models");
        awaitScoreVersion(p + "-scores", "e2e-v2", Duration.ofMinutes(2));
        double swapSeconds = seconds(swapStarted);

        // bundles damaged in the store after publishing (the trainer refuses to announce a damaged one, so
        // the announcements are sent as they were before the damage): a network file that no longer
        // matches its checksum, and a missing file
        Publication v3 = publish(v3Bundle, null);
        byte[] lstm = Files.readAllBytes(v3.directory().resolve("lstm.zip"));
        lstm[lstm.length / 2] ^= 0x55;
        Files.write(v3.directory().resolve("lstm.zip"), lstm);
        Publication v4 = publish(v4Bundle, null);
        Files.delete(v4.directory().resolve("autoencoder.zip"));
        announce(p + "-models", v3, v4);
        AtomicLong refused = new AtomicLong();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        refused.set(stack.operatorMetric(job, "score (LSTM", "vigil.model_rejections_total"));
                        return refused.get() >= 2 * 2; // every subtask refuses both
                    });
        } catch (ConditionTimeoutException e) {
            // how many there were is asserted below, with what the job did
        }
        long rejections = refused.get();
        boolean underLoad = producer.isAlive();
        producer.join();
        long expected = (long) ENTITIES * (live.config().eventsPerEntity() - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", expected, Duration.ofMinutes(2));
        List<EventScore> all = scores(p + "-scores");
        stack.cancel(job);

        long v2Scores =
                all.stream().filter(s -> s.getModelVersion().equals("e2e-v2")).count();
        long v2Cold = all.stream()
                .filter(s -> s.getModelVersion().equals("e2e-v2") && !s.getWarm())
                .count();
        long badScores = all.stream()
                .filter(s -> s.getModelVersion().matches("e2e-v[34]"))
                .count();
        List<Alert> alerts = alerts(p + "-alerts");
        long v2Alerts = alerts.stream()
                .filter(a -> a.getModelVersion().equals("e2e-v2"))
                .count();
        String refusal = logsMention("Refused model " + MODEL + "/e2e-v3");
        figure(
                "swap",
                "v2 published while %,d readings/s flowed: scores under v2 after %.1f s; %,d scores (%d of them"
                        + " warming up again) and %d alert records carry v2; corrupt v3 and incomplete v4 refused %d times (metric"
                        + " vigil.model_rejections_total), %d scores under them; log: %s",
                4_000,
                swapSeconds,
                v2Scores,
                v2Cold,
                v2Alerts,
                rejections,
                badScores,
                refusal);
        Map<String, EventScore> lastOfKey = new HashMap<>();
        all.forEach(sc ->
                lastOfKey.merge(sc.getEntityId(), sc, (a, b) -> a.getEventTime().isAfter(b.getEventTime()) ? a : b));
        assertThat(underLoad)
                .as("the bad bundles were refused while readings were still flowing")
                .isTrue();
        assertThat(all).hasSize((int) expected);
        assertThat(v2Scores).isPositive();
        assertThat(v2Cold)
                .as("keys warm under v1 stay warm under v2 (migrated, not reset)")
                .isZero();
        assertThat(v2Alerts).isPositive();
        assertThat(rejections).isEqualTo(4);
        assertThat(badScores).isZero();
        assertThat(lastOfKey.values()).extracting(EventScore::getModelVersion).containsOnly("e2e-v2");
        assertThat(refusal).contains("SHA-256");
    }

    @Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
    @Test
    @Order(4)
    void theBrokerStoppedForThirtySecondsMidStreamTheJobRecoversByItself() throws Exception {
        String p = "outage";
        stack.createTopics(
                p + "-readings:4",
                p + "-readings-b:4",
                p + "-alerts-a:2",
                p + "-alerts-b:2",
                p + "-scores-a:4",
                p + "-scores-b:4",
                p + "-dlq-a:1",
                p + "-dlq-b:1",
                p + "-models:1:cleanup.policy=compact");
        SensorStreamGenerator live = live(11);
        KafkaReadingWriter.Report sent = produce(live, p + "-readings", 0.0, 0);
        long expectedScores = (long) ENTITIES * (live.config().eventsPerEntity() - WINDOW + 1);
        String jobA = stack.submit(jar, 2, null, args(p, "a", true, store));
        stack.awaitState(jobA, "FINISHED", Duration.ofMinutes(5));

        // unbounded, as in production, on its own copy of the input: the first half before the outage, the
        // second after it (so the outage falls mid-stream whatever the machine's speed); restarts allowed for
        // as long as the broker is away
        List<LabeledReading> all = live.readings();
        int half = live.config().eventsPerEntity() / 2;
        Predicate<LabeledReading> firstHalf = firstEvents(all, half);
        produce(all.stream().filter(firstHalf).toList(), live.channels(), p + "-readings-b");
        List<String> b = new ArrayList<>(args(p, "b", false, store));
        b.set(b.indexOf("--topic.readings") + 1, p + "-readings-b");
        b.addAll(List.of("--restart-strategy.fixed-delay.attempts", "1000"));
        String jobB = stack.submit(jar, 2, null, b);
        CommittedRecords.await(
                stack.bootstrapServers(),
                p + "-scores-b",
                (long) ENTITIES * (half - WINDOW + 1),
                Duration.ofMinutes(3));
        stack.stopKafka();
        Thread.sleep(30_000);
        long restarted = System.nanoTime();
        stack.startKafka();
        int atRestart =
                CommittedRecords.read(stack.bootstrapServers(), p + "-scores-b").size();
        produce(all.stream().filter(firstHalf.negate()).toList(), live.channels(), p + "-readings-b");
        Awaitility.await("scores committed again after the broker is back")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> CommittedRecords.read(stack.bootstrapServers(), p + "-scores-b")
                                .size()
                        > atRestart);
        double recovery = seconds(restarted);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores-b", expectedScores, Duration.ofMinutes(5));
        String stateAfter = stack.jobState(jobB);
        stack.cancel(jobB);

        // The failure-free run is bounded: at its end the watermark jumps past every key's state TTL and the
        // open alerts are resolved by expiry, at an event time after the input's. The unbounded run never gets
        // there, so those records are left out of the comparison (and counted in the figure).
        long inputEnd = live.readings().stream()
                .mapToLong(r -> r.eventTime().toEpochMilli())
                .max()
                .orElseThrow();
        Set<String> allA = alertKeys(p + "-alerts-a");
        Set<String> alertsA = new HashSet<>(allA);
        alertsA.removeIf(k -> Long.parseLong(k.substring(k.lastIndexOf(' ') + 1)) > inputEnd);
        Set<String> alertsB = alertKeys(p + "-alerts-b");
        List<String> scoresB = scoreKeys(p + "-scores-b");
        Set<String> lost = new TreeSet<>(alertsA);
        lost.removeAll(alertsB);
        Set<String> extra = new TreeSet<>(alertsB);
        extra.removeAll(alertsA);
        int dead = CommittedRecords.read(stack.bootstrapServers(), p + "-dlq-b").size();
        figure(
                "outage",
                "records in %,d; broker stopped 30 s after %,d of %,d scores were committed, started again,"
                        + " the second half of the input written; scores committed again %.1f s after the start; alerts %d (failure-free %d, and %d resolved by"
                        + " expiry at its end), lost %d, extra %d; scores %,d of %,d, duplicated %d; dead-lettered %d",
                sent.readings(),
                atRestart,
                expectedScores,
                recovery,
                alertsB.size(),
                alertsA.size(),
                allA.size() - alertsA.size(),
                lost.size(),
                extra.size(),
                new HashSet<>(scoresB).size(),
                expectedScores,
                scoresB.size() - new HashSet<>(scoresB).size(),
                dead);

        assertThat(stateAfter).isEqualTo("RUNNING");
        assertThat(scoresB).doesNotHaveDuplicates().hasSize((int) expectedScores);
        assertThat(differingScores(p + "-scores-a", p + "-scores-b")).isEmpty();
        assertThat(alertsB)
                .as("only in the failure-free run: %s; only after the outage: %s", lost, extra)
                .isEqualTo(alertsA);
        assertThat(dead).isZero();
    }

    @Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
    @Test
    @Order(5)
    void withTheStoreUnreadableARestartedJobScoresWithItsModelAndRefusesSwapsSayingWhy() throws Exception {
        String p = "store";
        createTopicsOfOneJob(p);
        Path own = work.resolve("store-unreadable");
        io.vigil.scoring.bundle.ModelStore.publish(work.resolve("bundle-e2e-v1"), own);
        Path v2Bundle =
                Files.isDirectory(work.resolve("bundle-e2e-v2")) ? work.resolve("bundle-e2e-v2") : train("e2e-v2", 43);
        Publication v2 = new Publisher(PublishOptions.toStore(own).withoutAnnouncement()).publish(v2Bundle);
        SensorStreamGenerator live = live(12);
        List<LabeledReading> all = live.readings();
        int half = live.config().eventsPerEntity() / 2;
        Predicate<LabeledReading> firstHalf = firstEvents(all, half);
        produce(all.stream().filter(firstHalf).toList(), live.channels(), p + "-readings");
        String job = stack.submit(jar, 2, null, args(p, "", false, own));
        long firstScores = (long) ENTITIES * (half - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", firstScores, Duration.ofMinutes(3));

        // the store becomes unreadable, and a TaskManager dies: the job restarts from its checkpoint
        Path away = work.resolve("store-unreadable-away");
        Files.move(own, away);
        long killed = System.nanoTime();
        stack.killTaskManager(2);
        stack.startTaskManager(4);
        Awaitility.await("the job running again without its store")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.allTasksRunning(job));
        double recovery = seconds(killed);
        // a new version announced while the store is unreadable, then one half-written
        announce(p + "-models", v2);
        Files.createDirectories(own.resolve(MODEL + "/e2e-v5"));
        Files.writeString(own.resolve(MODEL + "/e2e-v5/manifest.json"), "{\"formatVersion\" : 3, \"modelId\"");
        announce(
                p + "-models",
                new Publication(
                        MODEL,
                        "e2e-v5",
                        own.resolve(MODEL + "/e2e-v5"),
                        own.resolve(MODEL + "/e2e-v5").toUri().toString(),
                        "0".repeat(64),
                        3,
                        true,
                        p + "-models",
                        0,
                        0,
                        List.of()));
        AtomicLong refused = new AtomicLong();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        refused.set(stack.operatorMetric(job, "score (LSTM", "vigil.model_rejections_total"));
                        return refused.get() >= 2 * 2;
                    });
        } catch (ConditionTimeoutException e) {
            // asserted below
        }
        produce(all.stream().filter(firstHalf.negate()).toList(), live.channels(), p + "-readings");
        long allScores = (long) ENTITIES * (live.config().eventsPerEntity() - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", allScores, Duration.ofMinutes(3));
        List<EventScore> scores = scores(p + "-scores");
        stack.cancel(job);
        PathUtils.deleteDirectory(own);
        Files.move(away, own);

        List<String> keys = scores.stream()
                .map(s -> s.getEntityId() + "@" + s.getEventTime().toEpochMilli())
                .toList();
        String refusal = logsMention("Refused model " + MODEL + "/e2e-v2");
        figure(
                "store",
                "store moved away and TaskManager 2 killed after %,d scores: all tasks running again after %.1f s,"
                        + " with the model of the checkpoint; v2 announced with the store unreadable and v5 half-written:"
                        + " refused %d times (vigil.model_rejections_total); scores %,d of %,d, duplicated %d, under v1 %d;"
                        + " log: %s",
                firstScores,
                recovery,
                refused.get(),
                new HashSet<>(keys).size(),
                allScores,
                keys.size() - new HashSet<>(keys).size(),
                scores.stream()
                        .filter(s -> s.getModelVersion().equals("e2e-v1"))
                        .count(),
                refusal);
        assertThat(keys).doesNotHaveDuplicates().hasSize((int) allScores);
        assertThat(scores).extracting(EventScore::getModelVersion).containsOnly("e2e-v1");
        assertThat(refused.get()).isEqualTo(4);
        assertThat(refusal).contains("cannot read");
    }

    /**
     * A TaskManager killed while a checkpoint is in flight: the moment the JobManager logs that it triggers a
     * checkpoint of job b (after one has completed), a TaskManager gets SIGKILL from this process. That
     * checkpoint must never complete, the job must restore an earlier one by itself, and its committed outputs
     * must equal a failure-free run's over the same input.
     */
    @Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
    @Test
    @Order(6)
    void aTaskManagerKilledDuringACheckpointFailsThatCheckpointAndLosesNothing() throws Exception {
        String p = "ckpt";
        // twice the first case's input: job b takes checkpoints for long enough that one completes first
        FaultRun run = FaultRun.prepare(p, live(14, 2400, 4));
        LogWatch jobManager = new LogWatch(stack.jobManagerLog());
        String jobB = stack.submit(jar, 2, null, args(p, "b", true));
        Pattern completed = Pattern.compile("Completed checkpoint (\\d+) for job " + jobB);
        Pattern triggering = Pattern.compile("Triggering checkpoint (\\d+) .* for job " + jobB);
        Awaitility.await("a completed checkpoint of job b")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> jobManager.next(completed).isPresent());
        AtomicReference<Matcher> trigger = new AtomicReference<>();
        Awaitility.await("the next checkpoint of job b triggered")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> {
                    jobManager.next(triggering).ifPresent(trigger::set);
                    return trigger.get() != null;
                });
        long seen = System.nanoTime();
        long inFlight = Long.parseLong(trigger.get().group(1));
        int victim = stack.runningTaskManagers().get(0);
        stack.killTaskManagerNow(victim);
        double killMillis = (System.nanoTime() - seen) / 1e6;
        stack.startTaskManager(stack.unusedTaskManager());
        Awaitility.await("job b running again on the new TaskManager")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.allTasksRunning(jobB) || "FINISHED".equals(stack.jobState(jobB)));
        double recovery = seconds(seen);
        stack.awaitState(jobB, "FINISHED", Duration.ofMinutes(5));

        List<String> log = Files.readAllLines(stack.jobManagerLog());
        boolean inFlightCompleted =
                log.stream().anyMatch(l -> l.contains("Completed checkpoint " + inFlight + " for job " + jobB + " "));
        String inFlightEnd = log.stream()
                .filter(l -> l.contains("heckpoint " + inFlight + " ") && l.contains(jobB) && !l.contains("Triggering"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(" - ") + 3))
                .orElse("(no line)");
        long restoredFrom = restoredCheckpoint(log, jobB);
        figure(
                p,
                "records in %,d (+%d garbage); failure-free run %.1f s; TaskManager %d killed (SIGKILL) %.1f ms after"
                        + " the JobManager logged triggering checkpoint %d; that checkpoint completed: %s (%s); job b"
                        + " restored from checkpoint %d, all tasks running again after %.1f s",
                run.sent().readings(),
                run.sent().garbageTotal(),
                run.secondsA(),
                victim,
                killMillis,
                inFlight,
                inFlightCompleted,
                inFlightEnd,
                restoredFrom,
                recovery);
        assertThat(inFlightCompleted)
                .as("checkpoint %d, in flight when TaskManager %d was killed, completed", inFlight, victim)
                .isFalse();
        assertThat(restoredFrom)
                .as("the checkpoint job b restored after the kill")
                .isPositive()
                .isLessThan(inFlight);
        run.compareWithFailureFree();
    }

    /**
     * A TaskManager killed in the middle of a model hot swap: a new version is announced while readings flow,
     * and the moment a scoring subtask logs that it swapped it in, its TaskManager gets SIGKILL, before any
     * checkpoint holds the swap. The job restores its last checkpoint (the old model, the announcement not yet
     * read), reads the announcement again, swaps on every subtask, and scores every reading exactly once.
     */
    @Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
    @Test
    @Order(7)
    void aTaskManagerKilledDuringAModelSwapSwapsAgainAfterItsRestoreAndLosesNothing() throws Exception {
        String p = "swapkill";
        createTopicsOfOneJob(p);
        SensorStreamGenerator live = live(15, 3000, 4);
        String version = "e2e-v6";
        Path bundle = train(version, 46);
        String job = stack.submit(jar, 2, null, args(p, "", false));
        stack.awaitState(job, "RUNNING", Duration.ofMinutes(1));
        Thread producer = new Thread(() -> produce(live, p + "-readings", 0.0, 4_000));
        producer.start();
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", 10_000, Duration.ofMinutes(2));

        String swapLine = "Swapped in model " + MODEL + "/" + version;
        Map<Integer, LogWatch> taskManagers = new HashMap<>();
        stack.runningTaskManagers().forEach(n -> taskManagers.put(n, new LogWatch(stack.taskManagerLog(n))));
        publish(bundle, p + "-models");
        long announced = System.nanoTime();
        AtomicInteger swappedOn = new AtomicInteger();
        Pattern swapped = Pattern.compile(Pattern.quote(swapLine));
        Awaitility.await("a scoring subtask swapping in " + version)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> {
                    for (var tm : taskManagers.entrySet()) {
                        if (tm.getValue().next(swapped).isPresent()) {
                            swappedOn.set(tm.getKey());
                            return true;
                        }
                    }
                    return false;
                });
        long seen = System.nanoTime();
        stack.killTaskManagerNow(swappedOn.get());
        double killMillis = (System.nanoTime() - seen) / 1e6;
        double swapSeconds = (seen - announced) / 1e9;
        long swapsBefore = taskManagerLogLines(swapLine);
        String opensOld = "Scoring with model " + MODEL + "/e2e-v1 (";
        String opensNew = "Scoring with model " + MODEL + "/" + version + " (";
        long opensOldBefore = taskManagerLogLines(opensOld);
        long opensNewBefore = taskManagerLogLines(opensNew);
        stack.startTaskManager(stack.unusedTaskManager());
        Awaitility.await("the job running again on the new TaskManager")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.allTasksRunning(job));
        double recovery = seconds(seen);
        producer.join();
        long expected = (long) ENTITIES * (live.config().eventsPerEntity() - WINDOW + 1);
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores", expected, Duration.ofMinutes(3));
        List<EventScore> all = scores(p + "-scores");
        Set<String> alertRecords = new HashSet<>();
        List<Alert> alerts = alerts(p + "-alerts");
        alerts.forEach(a -> alertRecords.add(a.getAlertId() + " " + a.getStatus()));
        stack.cancel(job);

        long restoredFrom = restoredCheckpoint(Files.readAllLines(stack.jobManagerLog()), job);
        // the surviving subtask may still swap between the kill and its cancellation: counted here too
        long swapsAfter = taskManagerLogLines(swapLine) - swapsBefore;
        long opensOldAfter = taskManagerLogLines(opensOld) - opensOldBefore;
        long opensNewAfter = taskManagerLogLines(opensNew) - opensNewBefore;
        List<String> keys = all.stream()
                .map(s -> s.getEntityId() + "@" + s.getEventTime().toEpochMilli())
                .toList();
        Map<String, EventScore> lastOfKey = new HashMap<>();
        all.forEach(sc ->
                lastOfKey.merge(sc.getEntityId(), sc, (a, b) -> a.getEventTime().isAfter(b.getEventTime()) ? a : b));
        long underNew =
                all.stream().filter(s -> s.getModelVersion().equals(version)).count();
        long coldUnderNew = all.stream()
                .filter(s -> s.getModelVersion().equals(version) && !s.getWarm())
                .count();
        figure(
                p,
                "%s announced while 4,000 readings/s flowed; a subtask swapped it in %.1f s later; TaskManager %d"
                        + " killed (SIGKILL) %.1f ms after its log said so; restored from checkpoint %d, all tasks"
                        + " running again after %.1f s; scoring subtasks opened after the kill with e2e-v1 %d, with"
                        + " %s %d; swaps logged after the kill %d; scores %,d of %,d,"
                        + " duplicated %d, %,d under %s (%d of them warming up again); alert records %d, repeated %d",
                version,
                swapSeconds,
                swappedOn.get(),
                killMillis,
                restoredFrom,
                recovery,
                opensOldAfter,
                version,
                opensNewAfter,
                swapsAfter,
                new HashSet<>(keys).size(),
                expected,
                keys.size() - new HashSet<>(keys).size(),
                underNew,
                version,
                coldUnderNew,
                alerts.size(),
                alerts.size() - alertRecords.size());
        assertThat(restoredFrom).as("the checkpoint the job restored").isPositive();
        assertThat(opensNewAfter)
                .as(
                        "scoring subtasks restored with %s: a checkpoint completed with the swap before the kill landed",
                        version)
                .isZero();
        assertThat(opensOldAfter)
                .as("scoring subtasks restored with the model before the swap, e2e-v1")
                .isGreaterThanOrEqualTo(2);
        assertThat(swapsAfter)
                .as("swaps of %s logged after the kill: the restored subtasks read the announcement again", version)
                .isGreaterThanOrEqualTo(2);
        assertThat(keys).doesNotHaveDuplicates().hasSize((int) expected);
        assertThat(lastOfKey.values()).extracting(EventScore::getModelVersion).containsOnly(version);
        assertThat(coldUnderNew)
                .as("keys warm under the old model stay warm under the new one")
                .isZero();
        assertThat(alerts).hasSize(alertRecords.size());
    }

    /** The topics of one job of a case: {@code <p>-readings}, {@code -alerts}, {@code -scores}, {@code -dlq}, {@code -models}. */
    private static void createTopicsOfOneJob(String p) {
        stack.createTopics(
                p + "-readings:4",
                p + "-alerts:2",
                p + "-scores:4",
                p + "-dlq:1",
                p + "-models:1:cleanup.policy=compact");
    }

    /** The checkpoint the JobManager's log says it restored {@code jobId} from after a failure, or 0. */
    private static long restoredCheckpoint(List<String> jobManagerLog, String jobId) {
        Pattern restoring = Pattern.compile("Restoring job " + jobId + " from Checkpoint (\\d+) ");
        return jobManagerLog.stream()
                .map(restoring::matcher)
                .filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1)))
                .max()
                .orElse(0);
    }

    /** How many lines of all the TaskManagers' logs contain {@code text}. */
    private static long taskManagerLogLines(String text) throws IOException {
        long n = 0;
        try (Stream<Path> logs = Files.list(stack.runDir().resolve("logs"))) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("flink-taskmanager"))
                    .toList()) {
                n += Files.readAllLines(log).stream()
                        .filter(l -> l.contains(text))
                        .count();
            }
        }
        return n;
    }

    /**
     * JobManager high availability: the stack with ZooKeeper (deploy/local's HA mode), the JobManager killed
     * with SIGKILL mid-stream after checkpoints have completed, and a new JobManager started, as a
     * supervisor would. The new one takes the job over by itself, with the same id, from the latest
     * checkpoint ZooKeeper points to. The last case: it replaces the shared stack (which has no HA) by its own.
     */
    @Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
    @Test
    @Order(8)
    void theJobManagerKilledWithZooKeeperHaTheJobResumesFromItsLatestCheckpoint() throws Exception {
        stack.close();
        long stackStarted = System.nanoTime();
        stack = LocalStack.startHighlyAvailable(LocalStack.repository(), work.resolve("run-ha"));
        figure("ha", "Kafka + ZooKeeper + JobManager (HA) + 2 TaskManagers started in %.1f s", seconds(stackStarted));
        String p = "ha";
        // three times the other cases' input: job b takes about half a minute over it, so the kill falls
        // mid-stream, right after its first completed checkpoint (over 48,000 readings it was 6 s before the end)
        FaultRun run = FaultRun.prepare(p, live(13, 3600, 6));

        // Job b is unbounded, as in production: a bounded one (--kafka.stop-at-end) restored by a new
        // JobManager never ends (flink-connector-kafka 5.0.0-2.2: its enumerator, restored with every
        // partition assigned, finds no new partition and so never tells the readers there are no more splits;
        // seen here, the readings sources ran on, checkpoints completing, minutes after reading everything).
        // With the default idle timeout the held readings are released when the input stops.
        String jobB = stack.submit(jar, 2, null, args(p, "b", false));
        AtomicReference<JsonNode> before = new AtomicReference<>();
        Awaitility.await("a completed checkpoint of job b")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    before.set(stack.rest("/jobs/" + jobB + "/checkpoints"));
                    return before.get().path("counts").path("completed").asLong() > 0;
                });
        long completedBefore = before.get().path("counts").path("completed").asLong();
        long latestBefore =
                before.get().path("latest").path("completed").path("id").asLong();
        String stateAtKill = stack.jobState(jobB);
        long killed = System.nanoTime();
        stack.killJobManager();
        stack.startJobManager();
        double leaderBack = seconds(killed);
        // the REST API answers 503 (no leader) or not at all in between; the job is never submitted again
        Awaitility.await("job b running again under the new JobManager")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> stack.allTasksRunning(jobB));
        double recovery = seconds(killed);
        JsonNode restored =
                stack.rest("/jobs/" + jobB + "/checkpoints").path("latest").path("restored");
        List<String> jobsAfter = new ArrayList<>();
        stack.rest("/jobs/overview")
                .path("jobs")
                .forEach(j -> jobsAfter.add(j.path("jid").asText()));
        CommittedRecords.await(stack.bootstrapServers(), p + "-scores-b", run.expectedScores(), Duration.ofMinutes(5));
        String stateAtEnd = stack.jobState(jobB);
        stack.cancel(jobB);

        figure(
                p,
                "records in %,d (+%d garbage); failure-free run %.1f s; JobManager killed (SIGKILL) with job b %s"
                        + " after %d completed checkpoints (latest %d); a new JobManager led after %.1f s; job %s"
                        + " RUNNING again, all tasks, after %.1f s, restored from checkpoint %d (%s); jobs on the new"
                        + " JobManager: %s",
                run.sent().readings(),
                run.sent().garbageTotal(),
                run.secondsA(),
                stateAtKill,
                completedBefore,
                latestBefore,
                leaderBack,
                jobB,
                recovery,
                restored.path("id").asLong(),
                restored.path("external_path").asText(),
                jobsAfter);
        assertThat(stateAtKill)
                .as("job b's state when the JobManager was killed")
                .isEqualTo("RUNNING");
        assertThat(stateAtEnd).as("job b's state once every reading was scored").isEqualTo("RUNNING");
        assertThat(completedBefore).as("checkpoints completed before the kill").isPositive();
        assertThat(jobsAfter)
                .as("the new JobManager runs the submitted job, and only it")
                .containsExactly(jobB);
        assertThat(restored.path("is_savepoint").asBoolean(true)).isFalse();
        assertThat(restored.path("id").asLong())
                .as("the checkpoint restored by the new JobManager: %s", restored)
                .isGreaterThanOrEqualTo(latestBefore);
        run.compareWithFailureFree(true);
    }

    private static void announce(String topic, Publication... publications) {
        Publisher publisher = new Publisher(PublishOptions.toStore(store).withoutAnnouncement());
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", stack.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                props,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (Publication pub : publications) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        topic,
                        MODEL.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        WireFormat.encode(publisher.announcement(pub))));
            }
            producer.flush();
        }
    }

    private static List<String> args(String prefix, String suffix, boolean bounded) {
        return args(prefix, suffix, bounded, store);
    }

    private static List<String> args(String prefix, String suffix, boolean bounded, Path modelStore) {
        String s = suffix.isEmpty() ? "" : "-" + suffix;
        List<String> a = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                stack.bootstrapServers(),
                "--model.store",
                modelStore.toString(),
                "--model.id",
                MODEL,
                "--model.version",
                "e2e-v1",
                "--topic.readings",
                prefix + "-readings",
                "--topic.alerts",
                prefix + "-alerts" + s,
                "--topic.scores",
                prefix + "-scores" + s,
                "--topic.dead-letter",
                prefix + "-dlq" + s,
                "--topic.model-updates",
                prefix + "-models",
                "--kafka.group-id",
                "vigil-" + prefix + s,
                "--kafka.starting-offsets",
                "earliest",
                "--sink.transactional-id-prefix",
                "vigil-" + prefix + s,
                "--execution.checkpointing.interval",
                "1s",
                "--restart-strategy.type",
                "fixed-delay",
                "--restart-strategy.fixed-delay.attempts",
                // a replacement TaskManager took 30 s to register on the loaded 2-core machine: 20 attempts 1 s
                // apart ran out before it did, and the job failed for good
                "60",
                "--restart-strategy.fixed-delay.delay",
                "1s"));
        if (bounded) {
            // A pre-filled topic has no silent partitions: a partition taken for idle (its fetch starved on two
            // busy cores) only moves the watermark past its readings, which then wait for the end of the input.
            // The benchmark runs its pre-filled inputs the same way (BenchmarkSettings.DEFAULT_JOB_OPTIONS).
            a.addAll(List.of("--kafka.stop-at-end", "true", "--watermark.idle-timeout", "1h"));
        }
        return a;
    }

    private static KafkaReadingWriter.Report produce(
            SensorStreamGenerator live, String topic, double garbage, double rate) {
        var config = KafkaReadingWriter.Config.of(stack.bootstrapServers(), topic);
        if (garbage > 0) {
            config = config.withGarbage(garbage, 11);
        }
        if (rate > 0) {
            config = config.withRate(rate);
        }
        try (KafkaReadingWriter w = new KafkaReadingWriter(config, live.channels())) {
            live.forEach(w::accept);
            return w.finish();
        }
    }

    private static void produce(List<LabeledReading> readings, List<String> channels, String topic) {
        try (KafkaReadingWriter w =
                new KafkaReadingWriter(KafkaReadingWriter.Config.of(stack.bootstrapServers(), topic), channels)) {
            readings.forEach(w::accept);
            w.finish();
        }
    }

    /** True for the first {@code n} readings of each entity. */
    private static Predicate<LabeledReading> firstEvents(List<LabeledReading> all, int n) {
        Map<String, Instant> cut = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (LabeledReading r : all) {
            if (seen.merge(r.entityId(), 1, Integer::sum) == n) {
                cut.put(r.entityId(), r.eventTime());
            }
        }
        return r -> !r.eventTime().isAfter(cut.get(r.entityId()));
    }

    private static Set<String> alertKeys(String topic) throws IOException {
        Set<String> keys = new HashSet<>();
        for (Alert a : alerts(topic)) {
            keys.add(a.getAlertId() + " " + a.getStatus() + " "
                    + a.getEventTime().toEpochMilli());
        }
        return keys;
    }

    private static List<Alert> alerts(String topic) throws IOException {
        var decoder = WireFormat.decoder(Alert.class);
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(stack.bootstrapServers(), topic)) {
            out.add(decoder.decode(r.value()));
        }
        return out;
    }

    private static List<EventScore> scores(String topic) throws IOException {
        var decoder = WireFormat.decoder(EventScore.class);
        List<EventScore> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(stack.bootstrapServers(), topic)) {
            out.add(decoder.decode(r.value()));
        }
        return out;
    }

    /** Events (entity@time: score a vs b) whose scores differ between two runs, at most 20 of them. */
    private static List<String> differingScores(String topicA, String topicB) throws IOException {
        Map<String, Double> a = new HashMap<>();
        for (EventScore s : scores(topicA)) {
            a.put(s.getEntityId() + "@" + s.getEventTime().toEpochMilli(), s.getScore());
        }
        List<String> out = new ArrayList<>();
        for (EventScore s : scores(topicB)) {
            String key = s.getEntityId() + "@" + s.getEventTime().toEpochMilli();
            Double before = a.get(key);
            if ((before == null || before != s.getScore()) && out.size() < 20) {
                out.add(key + ": " + before + " vs " + s.getScore());
            }
        }
        return out;
    }

    private static List<String> scoreKeys(String topic) throws IOException {
        return scores(topic).stream()
                .map(s -> s.getEntityId() + "@" + s.getEventTime().toEpochMilli())
                .toList();
    }

    private static void awaitScoreVersion(String topic, String version, Duration timeout) {
        Awaitility.await("a score under model version " + version)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        scores(topic).stream().anyMatch(s -> s.getModelVersion().equals(version)));
    }

    /** The first line of the TaskManager logs that contains {@code text}, or "" if none. */
    private static String logsMention(String text) throws IOException {
        try (Stream<Path> logs = Files.list(stack.runDir().resolve("logs"))) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("flink-taskmanager"))
                    .toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(text)) {
                        return line.substring(line.indexOf("Refused"));
                    }
                }
            }
        }
        return "";
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void figure(String kase, String format, Object... args) throws IOException {
        String line = String.format(Locale.ROOT, "[%s] %s", kase, String.format(Locale.ROOT, format, args));
        System.out.println(line);
        Files.writeString(
                work.resolve("figures.md"),
                "- " + line + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }
}
