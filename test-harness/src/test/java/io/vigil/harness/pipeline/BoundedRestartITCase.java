package io.vigil.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.TestClusters;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.job.config.VigilOptions;
import io.vigil.schemas.Alert;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded job ({@code kafka.stop-at-end}) that loses a TaskManager and restarts must still end, with
 * every record once. The production pipeline ({@code VigilJob.wireKafka}) reads a pre-filled topic on a
 * real broker in a MiniCluster of two TaskManagers; the failure is injected into the runtime by
 * terminating a TaskManager (its tasks fail, the job restarts from its latest checkpoint on a new one),
 * once mid-stream and once after the readings' source has read all its input (its subtasks FINISHED,
 * the job still waiting for its final checkpoint). Checkpoints are the job's default storage (the
 * JobManager's memory), as in the corpus run that once restarted and did not end. Each run's scores and
 * alerts are compared with a failure-free run over the same input.
 */
@Tag("reliability") // a long fault case: mvn -B verify -Preliability (docs/reliability.md)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoundedRestartITCase {

    private static final int ENTITIES = 40;
    private static final int EVENTS = 3000;
    private static final int WINDOW = 8;
    private static final long EXPECTED_SCORES = (long) ENTITIES * (EVENTS - WINDOW + 1);
    private static final Duration FINISH_WITHIN = Duration.ofMinutes(4);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.miniCluster(2, 1);

    @TempDir
    static Path tmp;

    private static EmbeddedKafka kafka;
    private static Path store;
    private static long readingsIn;
    private static long garbageIn;
    private static Map<String, Double> failureFreeScores;
    private static Set<String> failureFreeAlerts;
    private static int failureFreeDead;

    @BeforeAll
    static void brokerModelAndInput() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        kafka.createTopic("readings", 4, Map.of());
        kafka.createTopic("model-updates", 1, Map.of("cleanup.policy", "compact"));
        GeneratorConfig liveConfig = GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(2)
                .seed(31)
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(liveConfig);
        store = PipelineFixture.trainAndPublish(live, "bounded", WINDOW, tmp);
        var config = KafkaReadingWriter.Config.of(kafka.bootstrapServers(), "readings")
                .withGarbage(0.005, 13);
        try (KafkaReadingWriter w = new KafkaReadingWriter(config, live.channels())) {
            live.forEach(w::accept);
            KafkaReadingWriter.Report sent = w.finish();
            readingsIn = sent.readings();
            garbageIn = sent.garbageTotal();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void aFailureFreeBoundedRunScoresEveryReadingOnce() throws Exception {
        JobClient job = submit("free");
        job.getJobExecutionResult().get(FINISH_WITHIN.toSeconds(), TimeUnit.SECONDS);
        failureFreeScores = scores("free");
        failureFreeAlerts = alertKeys("free");
        failureFreeDead = CommittedRecords.read(kafka.bootstrapServers(), "free-dead-letter")
                .size();
        System.out.printf(
                "[bounded] failure-free: %,d readings (+%d garbage) in; %,d scores of %,d; %d alert records;"
                        + " %d dead-lettered%n",
                readingsIn,
                garbageIn,
                failureFreeScores.size(),
                EXPECTED_SCORES,
                failureFreeAlerts.size(),
                failureFreeDead);
        assertThat(failureFreeScores.size())
                .as("scores of the failure-free run")
                .isEqualTo(EXPECTED_SCORES);
        assertThat(failureFreeAlerts).isNotEmpty();
        assertThat(failureFreeDead).isEqualTo((int) garbageIn);
    }

    @Test
    @Order(2)
    void aTaskManagerKilledMidStreamTheBoundedJobRestartsAndEndsWithEveryRecordOnce(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        JobClient job = submit("mid");
        JobID id = job.getJobID();
        Awaitility.await("a checkpoint completed while the readings' source still reads")
                .atMost(FINISH_WITHIN)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> completedCheckpoints(cluster, id) > 0 || sourceFinished(cluster, id));
        assertThat(sourceFinished(cluster, id))
                .as("the readings' source still reading when its TaskManager is" + " killed")
                .isFalse();
        killATaskManagerAndCheckTheEnd(cluster, 0, job, "mid", "after the first checkpoint, mid-read");
    }

    @Test
    @Order(3)
    void aTaskManagerKilledAfterTheSourcesFinishedTheBoundedJobRestartsAndEndsWithEveryRecordOnce(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        JobClient job = submit("end");
        JobID id = job.getJobID();
        Awaitility.await("every subtask of the readings' source FINISHED while the job runs")
                .atMost(FINISH_WITHIN)
                .pollInterval(Duration.ofMillis(10))
                .until(() ->
                        sourceFinished(cluster, id) || job.getJobStatus().get().isGloballyTerminalState());
        assertThat(job.getJobStatus().get())
                .as("the job still running (waiting for its final checkpoint) when the" + " source has finished")
                .isEqualTo(JobStatus.RUNNING);
        // the MiniCluster keeps a terminated TaskManager in its list: 0 went in the previous case, 1 still runs
        killATaskManagerAndCheckTheEnd(cluster, 1, job, "end", "after the readings' source had read all its input");
    }

    private static void killATaskManagerAndCheckTheEnd(
            MiniCluster cluster, int taskManager, JobClient job, String run, String when) throws Exception {
        long killed = System.nanoTime();
        cluster.terminateTaskManager(taskManager).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
        job.getJobExecutionResult().get(FINISH_WITHIN.toSeconds(), TimeUnit.SECONDS); // throws if the job failed
        double toEnd = (System.nanoTime() - killed) / 1e9;
        ArchivedExecutionGraph graph =
                cluster.getArchivedExecutionGraph(job.getJobID()).get();

        List<String> scoreKeys = scoreKeys(run);
        Map<String, Double> scores = scores(run);
        Set<String> alerts = alertKeys(run);
        int dead = CommittedRecords.read(kafka.bootstrapServers(), run + "-dead-letter")
                .size();
        Set<String> lost = new TreeSet<>(failureFreeAlerts);
        lost.removeAll(alerts);
        Set<String> extra = new TreeSet<>(alerts);
        extra.removeAll(failureFreeAlerts);
        long differing = scores.entrySet().stream()
                .filter(e -> !e.getValue().equals(failureFreeScores.get(e.getKey())))
                .count();
        System.out.printf(
                "[bounded] %s: TaskManager terminated %s; the job %s %.1f s"
                        + " later (restarted on a new TaskManager: %s); scores %,d (distinct %,d) of %,d, %d differing"
                        + " from the failure-free run; alert records %d (failure-free %d), lost %d, extra %d;"
                        + " dead-lettered %d (failure-free %d)%n",
                run,
                when,
                graph.getState(),
                toEnd,
                graph.getFailureInfo() == null
                        ? "no failure recorded"
                        : graph.getFailureInfo()
                                .getExceptionAsString()
                                .lines()
                                .findFirst()
                                .orElse(""),
                scoreKeys.size(),
                scores.size(),
                EXPECTED_SCORES,
                differing,
                alerts.size(),
                failureFreeAlerts.size(),
                lost.size(),
                extra.size(),
                dead,
                failureFreeDead);

        assertThat(graph.getState()).isEqualTo(JobStatus.FINISHED);
        assertThat(graph.getFailureInfo())
                .as("the terminated TaskManager failed the job's tasks")
                .isNotNull();
        assertThat(scoreKeys)
                .as("one score per scored reading, none twice")
                .hasSize((int) EXPECTED_SCORES)
                .doesNotHaveDuplicates();
        assertThat(differing)
                .as("readings scored differently from the failure-free run")
                .isZero();
        assertThat(alerts)
                .as("alert records vs the failure-free run; only there: %s; only here: %s", lost, extra)
                .isEqualTo(failureFreeAlerts);
        assertThat(dead).isEqualTo(failureFreeDead);
    }

    private static boolean sourceFinished(MiniCluster cluster, JobID id) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(id).get();
        List<String> names = new ArrayList<>();
        for (AccessExecutionJobVertex v : graph.getVerticesTopologically()) {
            if (v.getName().contains("Source: readings")) {
                return Arrays.stream(v.getTaskVertices())
                        .map(AccessExecutionVertex::getExecutionState)
                        .allMatch(s -> s == ExecutionState.FINISHED);
            }
            names.add(v.getName());
        }
        if (names.isEmpty()) {
            return false; // the job is still being scheduled
        }
        throw new IllegalStateException("No 'Source: readings' vertex in the job graph: " + names);
    }

    private static long completedCheckpoints(MiniCluster cluster, JobID id) throws Exception {
        var stats = cluster.getExecutionGraph(id).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Submits the production pipeline, bounded, with its outputs to run-specific topics. */
    private static JobClient submit(String run) throws Exception {
        for (String topic : List.of("-alerts", "-scores", "-dead-letter")) {
            kafka.createTopic(run + topic, 2, Map.of());
        }
        Map<String, String> settings =
                PipelineFixture.settings(kafka, store, "bounded", "readings", run + "-", "vigil-bounded-" + run);
        settings.put(VigilOptions.STOP_AT_END.key(), "true");
        settings.put(VigilOptions.IDLE_TIMEOUT.key(), "1h"); // a pre-filled topic has no idle partition
        settings.put("execution.checkpointing.interval", "500ms");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "5");
        settings.put("restart-strategy.fixed-delay.delay", "1s");
        return PipelineFixture.submit(settings, "vigil-bounded-" + run);
    }

    private static List<EventScore> scoreRecords(String run) throws IOException {
        var decoder = WireFormat.decoder(EventScore.class);
        List<EventScore> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), run + "-scores")) {
            out.add(decoder.decode(r.value()));
        }
        return out;
    }

    private static List<String> scoreKeys(String run) throws IOException {
        return scoreRecords(run).stream()
                .map(s -> s.getEntityId() + "@" + s.getEventTime().toEpochMilli())
                .toList();
    }

    private static Map<String, Double> scores(String run) throws IOException {
        Map<String, Double> out = new HashMap<>();
        for (EventScore s : scoreRecords(run)) {
            out.put(s.getEntityId() + "@" + s.getEventTime().toEpochMilli(), s.getScore());
        }
        return out;
    }

    private static Set<String> alertKeys(String run) throws IOException {
        var decoder = WireFormat.decoder(Alert.class);
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(kafka.bootstrapServers(), run + "-alerts")) {
            Alert a = decoder.decode(r.value());
            keys.add(a.getAlertId() + " " + a.getStatus() + " "
                    + a.getEventTime().toEpochMilli());
        }
        return keys;
    }
}
