package io.vigil.harness.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a job's output topic while the job runs, as an alert consumer would ({@code read_committed}):
 * counts the committed records and keeps the first and last broker append time
 * ({@code message.timestamp.type=LogAppendTime}), from which {@link ThroughputMath#eventsPerSecond} follows.
 * Records carrying a producer timestamp instead are refused: the topic was not created for measuring.
 */
public final class OutputMeter implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private long records;
    private long firstAppend = Long.MAX_VALUE;
    private long lastAppend = Long.MIN_VALUE;
    private long lastProgressNanos = System.nanoTime();

    public OutputMeter(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                consumerProperties(bootstrapServers, "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("output topic " + topic + " has no partitions; create it first");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has been committed in the next {@code timeout} at most; returns how many records came. */
    public int poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(timeout);
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                throw new IllegalStateException(
                        "record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " has a "
                                + r.timestampType() + " timestamp; the benchmark's output topics need"
                                + " message.timestamp.type=LogAppendTime");
            }
            records++;
            firstAppend = Math.min(firstAppend, r.timestamp());
            lastAppend = Math.max(lastAppend, r.timestamp());
        }
        if (batch.count() > 0) {
            lastProgressNanos = System.nanoTime();
        }
        return batch.count();
    }

    /**
     * Reads up to the end of every partition as it is now (for {@code read_committed} the last stable
     * offset), so that after a job has ended nothing it committed is missed.
     */
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        while (!caughtUp(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read " + topic + " to its end offsets " + end + " within " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
    }

    public long records() {
        return records;
    }

    /** Broker append time of the earliest record read, or {@code Long.MAX_VALUE} before the first. */
    public long firstAppendMillis() {
        return firstAppend;
    }

    /** Broker append time of the latest record read, or {@code Long.MIN_VALUE} before the first. */
    public long lastAppendMillis() {
        return lastAppend;
    }

    /** Nanos (System.nanoTime) since the last poll that brought records, or since this meter was opened. */
    public long nanosSinceProgress() {
        return System.nanoTime() - lastProgressNanos;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Records in {@code topic} now (sum of end offsets; for topics written without transactions). */
    public static long recordsIn(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                consumerProperties(bootstrapServers, "read_uncommitted"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> ps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, Long> begin = c.beginningOffsets(ps, Duration.ofSeconds(30));
            return c.endOffsets(ps, Duration.ofSeconds(30)).entrySet().stream()
                    .mapToLong(e -> e.getValue() - begin.get(e.getKey()))
                    .sum();
        }
    }

    private static Properties consumerProperties(String bootstrapServers, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }
}
