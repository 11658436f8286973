package io.vigil.harness.cluster;

import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.transactions.TransactionClusterRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transaction pipeline end to end on deploy/local's Kafka broker and Flink standalone cluster: the
 * shaded job jar submitted with {@code flink run --streams transactions}, generated transactions with
 * injected fraud and 1% bad records read to the end of the topic; every scored transaction scored once,
 * alerts once, every bad record dead-lettered with its reason, the per-account frauds alerted
 * ({@link TransactionClusterRun} checks and prints it all).
 */
class TransactionClusterE2ECase {

    private static LocalStack stack;
    private static Path work;
    private static Path jar;

    @BeforeAll
    static void startStack() throws Exception {
        Path repo = LocalStack.repository();
        work = repo.resolve("test-harness/target/e2e-transactions");
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        jar = LocalStack.shadedJobJar(repo);
        stack = LocalStack.start(repo, work.resolve("run"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theTransactionPipelineOnTheStandaloneClusterAlertsFraudExactlyOnce() throws Exception {
        TransactionClusterRun run = new TransactionClusterRun(stack.bootstrapServers(), work, "e2e-tx");
        stack.createTopics(
                "e2e-tx-transactions:2",
                "e2e-tx-alerts:2",
                "e2e-tx-scores:2",
                "e2e-tx-dlq:1",
                "e2e-tx-models:1:cleanup.policy=compact");
        run.trainAndProduce("e2e-tx-transactions");
        List<String> args = run.jobArgs(List.of("--kafka.stop-at-end", "true", "--watermark.idle-timeout", "1h"));
        String job = stack.submit(jar, 2, null, args);
        stack.awaitState(job, "FINISHED", Duration.ofMinutes(5));
        CommittedRecords.await(stack.bootstrapServers(), "e2e-tx-scores", run.expectedScores(), Duration.ofMinutes(1));
        run.check();
    }
}
