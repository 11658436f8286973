package io.vigil.harness.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Why a restored job logs "Unable to commit transaction ... because its producer is already fenced ...
 * this most likely signals data loss" (flink-connector-kafka's KafkaCommitter) without losing anything.
 *
 * <p>A restored exactly-once sink commits again the transactions of the checkpoint it restores, since it
 * cannot know whether their commit went through before the failure; usually it did. On a Kafka 4 broker
 * with transaction protocol version 2 (the default of a cluster formatted by Kafka 4, as deploy/local's
 * and the embedded one are) every commit bumps the producer's epoch, so committing a transaction again
 * with the epoch of the checkpoint is refused as fenced: the committer logs the error above for a
 * transaction that is committed. A transaction whose commit had not gone through is committed by the
 * same call, as before. Both with the connector's own producer class, on a real broker.
 */
class RecommitAfterRestoreITCase {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void theBrokerRunsTransactionProtocolVersion2() throws Exception {
        FeatureMetadata features =
                kafka.admin().describeFeatures().featureMetadata().get();
        assertThat(features.finalizedFeatures()).containsKey("transaction.version");
        assertThat(features.finalizedFeatures().get("transaction.version").maxVersionLevel())
                .isEqualTo((short) 2);
    }

    @Test
    void committingAgainATransactionThatWasCommittedIsFencedAndItsRecordsAreThereOnce() {
        kafka.createTopic("recommit-committed", 1, Map.of());
        long[] checkpointed = writeInTransaction("recommit-committed", "vigil-recommit-a-0-1", true);

        // the restored committer: the checkpoint's producer id and epoch, the same transactional id
        try (FlinkKafkaInternalProducer<byte[], byte[]> restored = producer("vigil-recommit-a-0-1")) {
            restored.resumeTransaction(checkpointed[0], (short) checkpointed[1]);
            Throwable t = catchThrowable(restored::commitTransaction);
            assertThat(t).isInstanceOf(ProducerFencedException.class);
        }
        assertThat(readCommitted("recommit-committed")).containsExactly("r1", "r2");
    }

    @Test
    void committingATransactionWhoseCommitDidNotGoThroughCommitsIt() {
        kafka.createTopic("recommit-pending", 1, Map.of());
        long[] checkpointed = writeInTransaction("recommit-pending", "vigil-recommit-b-0-1", false);
        assertThat(readCommitted("recommit-pending")).isEmpty();

        try (FlinkKafkaInternalProducer<byte[], byte[]> restored = producer("vigil-recommit-b-0-1")) {
            restored.resumeTransaction(checkpointed[0], (short) checkpointed[1]);
            restored.commitTransaction();
        }
        assertThat(readCommitted("recommit-pending")).containsExactly("r1", "r2");
    }

    /** Writes r1, r2 in a transaction, pre-committed as at a checkpoint; returns its producer id and epoch. */
    private static long[] writeInTransaction(String topic, String transactionalId, boolean commit) {
        FlinkKafkaInternalProducer<byte[], byte[]> p = producer(transactionalId);
        p.initTransactions();
        p.beginTransaction();
        for (String v : List.of("r1", "r2")) {
            p.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
        }
        p.flush();
        long[] checkpointed = {p.getProducerId(), p.getEpoch()};
        if (commit) {
            p.commitTransaction();
        }
        // the failure: the producer goes away without a word
        p.close(Duration.ZERO);
        return checkpointed;
    }

    private static FlinkKafkaInternalProducer<byte[], byte[]> producer(String transactionalId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("transaction.timeout.ms", "60000");
        return new FlinkKafkaInternalProducer<>(p, transactionalId);
    }

    private static List<String> readCommitted(String topic) {
        return CommittedRecords.read(kafka.bootstrapServers(), topic).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }
}
