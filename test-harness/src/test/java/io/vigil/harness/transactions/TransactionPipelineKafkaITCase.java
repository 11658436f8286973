package io.vigil.harness.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.TestClusters;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's transaction pipeline against a real Kafka broker on a MiniCluster of two TaskManagers:
 * generated transactions with injected fraud and bad records of every kind in (written by the harness's
 * writer, as a payment system would), one TaskManager stopped mid-stream. {@link TransactionClusterRun#check}
 * then asks, under {@code read_committed}, for one score per scored transaction and every alert record
 * exactly once, every bad record dead-lettered with its reason, and the per-account frauds (card testing,
 * takeovers, velocity bursts) alerted. A compromised merchant is invisible to per-account features by design
 * (each of its transactions is normal for its account), so this model, without confirmed-fraud feedback, is
 * not asked to find it.
 */
class TransactionPipelineKafkaITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.miniCluster(2, 1);

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        kafka.createTopic("it-tx-transactions", 2, Map.of());
        kafka.createTopic("it-tx-alerts", 2, Map.of());
        kafka.createTopic("it-tx-scores", 2, Map.of());
        kafka.createTopic("it-tx-dlq", 1, Map.of());
        kafka.createTopic("it-tx-models", 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void fraudsAlertedExactlyOnceThroughATaskManagerFailureWithBadRecordsDeadLettered(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        TransactionClusterRun run = new TransactionClusterRun(kafka.bootstrapServers(), tmp, "it-tx");
        run.trainAndPublish();

        // the real job with only the transaction pipeline, never-ending as in production
        Map<String, String> settings = run.settings();
        settings.put(VigilOptions.IDLE_TIMEOUT.key(), "1s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        JobClient job = env.executeAsync("vigil-transactions-it");

        long expectedScores = run.expectedScores();
        run.produce("it-tx-transactions", half -> {
            CommittedRecords.await(
                    kafka.bootstrapServers(), "it-tx-scores", expectedScores / 4, Duration.ofSeconds(120));
            try {
                cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
                cluster.startTaskManager();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CommittedRecords.await(kafka.bootstrapServers(), "it-tx-scores", expectedScores, Duration.ofSeconds(180));
        Thread.sleep(1500); // a checkpoint more: anything duplicated would be committed by now
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted after the TaskManager stopped")
                .isPositive();
        run.check();
        job.cancel().get(30, TimeUnit.SECONDS);
    }
}
