package io.vigil.harness.evaluate;

import io.vigil.schemas.Alert;
import io.vigil.schemas.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads every committed record of an alert topic: all partitions assigned (no consumer group, no
 * offsets committed), from the beginning, with {@code isolation.level=read_committed} so records of
 * aborted or still-open transactions are never counted, until no record has arrived for the idle
 * time or the deadline passes.
 */
public final class AlertTopicReader {

    /** Where to read, and when to stop: after {@code idle} without records, at the latest after {@code deadline}. */
    public record Options(
            String bootstrapServers,
            String topic,
            Duration idle,
            Duration deadline,
            Map<String, String> consumerOverrides) {

        public Options {
            Objects.requireNonNull(bootstrapServers, "bootstrap servers are required (host:port)");
            Objects.requireNonNull(topic, "alert topic is required");
            Objects.requireNonNull(idle, "idle time is required");
            Objects.requireNonNull(deadline, "deadline is required");
            if (idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("idle time must be positive, got " + idle);
            }
            if (deadline.compareTo(idle) < 0) {
                throw new IllegalArgumentException(
                        "deadline (" + deadline + ") must not be shorter than the idle time (" + idle + ")");
            }
            consumerOverrides = Map.copyOf(consumerOverrides);
        }

        public static Options of(String bootstrapServers, String topic, Duration idle, Duration deadline) {
            return new Options(bootstrapServers, topic, idle, deadline, Map.of());
        }

        public Options withConsumerConfig(String key, String value) {
            Map<String, String> copy = new LinkedHashMap<>(consumerOverrides);
            copy.put(key, value);
            return new Options(bootstrapServers, topic, idle, deadline, copy);
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private AlertTopicReader() {}

    /** Reads the topic; fails if it does not exist before the deadline. */
    public static AlertLog read(Options options) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.putAll(options.consumerOverrides());
        // The consumer's isolation level is the point of this reader: an override must not weaken it.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");

        BinaryMessageDecoder<Alert> decoder = WireFormat.decoder(Alert.class);
        List<Alert> alerts = new ArrayList<>();
        long records = 0;
        long undecodable = 0;
        long start = System.nanoTime();
        long deadline = start + options.deadline().toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = awaitPartitions(consumer, options.topic(), deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long lastRecord = System.nanoTime();
            while (System.nanoTime() < deadline
                    && System.nanoTime() - lastRecord < options.idle().toNanos()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                if (!batch.isEmpty()) {
                    lastRecord = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    records++;
                    try {
                        alerts.add(decoder.decode(r.value()));
                    } catch (Exception e) {
                        // Counted, not fatal: an evaluator that stops at one bad record hides the rest.
                        undecodable++;
                    }
                }
            }
        }
        return new AlertLog(alerts, records, undecodable);
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        try {
            List<PartitionInfo> infos = Awaitility.await()
                    .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .pollInterval(POLL)
                    .pollDelay(Duration.ZERO)
                    .ignoreExceptionsInstanceOf(TimeoutException.class) // broker not answering yet
                    .until(() -> consumer.partitionsFor(topic, POLL.multipliedBy(5)), i -> i != null && !i.isEmpty());
            return infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("alert topic '" + topic + "' does not exist (waited until the deadline)");
        }
    }
}
