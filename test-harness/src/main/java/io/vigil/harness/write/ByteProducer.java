package io.vigil.harness.write;

import io.vigil.schemas.WireFormat;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The harness writers' Kafka producer: idempotent, acks from all replicas, batched; sends never block the
 * caller on a failure, which is counted and kept (the first one) for the writer's report.
 */
final class ByteProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    ByteProducer(String bootstrapServers, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        // An unreachable broker should fail a harness run in seconds, not after Kafka's default minute.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.putAll(overrides);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(String topic, byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                failedSends.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        });
    }

    void flush() {
        producer.flush();
    }

    long failedSends() {
        return failedSends.get();
    }

    Exception firstFailure() {
        return firstFailure.get();
    }

    /**
     * Fails once a send has failed, saying to which topic and after how many records ({@code written}
     * {@code what}, e.g. 120 readings): a writer that kept going would wait out max.block.ms on every send
     * against a broker that is not there.
     */
    void throwIfFailed(String topic, long written, String what) {
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException(
                    "Kafka rejected a record to " + topic + " after " + written + " " + what + ": "
                            + failure.getMessage(),
                    failure);
        }
    }

    /**
     * 8-64 random bytes that no decoder can take for a single-object message (the first marker byte is
     * never there), for the {@code undecodable} dead-letter reason.
     */
    static byte[] undecodable(Random random) {
        byte[] bytes = new byte[8 + random.nextInt(57)];
        random.nextBytes(bytes);
        if (bytes[0] == WireFormat.MARKER_0) {
            bytes[0] = 0;
        }
        return bytes;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
