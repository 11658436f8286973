package io.vigil.harness.demo;

import io.vigil.harness.kafka.CommittedRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows a topic from its beginning with {@code read_committed} on a thread of its own, handing each
 * record to a callback and counting them, until closed.
 */
public final class TopicTail implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long count;
    private volatile long firstTimestamp = -1;
    private volatile long lastTimestamp = -1;
    private volatile Exception failure;

    public TopicTail(String bootstrapServers, String topic, BiConsumer<Long, byte[]> onRecord) {
        thread = new Thread(() -> follow(bootstrapServers, topic, onRecord), "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String bootstrapServers, String topic, BiConsumer<Long, byte[]> onRecord) {
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedRecords.consumer(bootstrapServers, "read_committed")) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (firstTimestamp < 0) {
                        firstTimestamp = r.timestamp();
                    }
                    lastTimestamp = r.timestamp();
                    count++;
                    onRecord.accept(r.timestamp(), r.value());
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    public long count() {
        return count;
    }

    /** Timestamp of the first and the last record seen (the broker's append time on LogAppendTime topics). */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** Waits until {@code expected} records were seen or the timeout passed; returns the count. */
    public long awaitCount(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < expected && System.nanoTime() < deadline && failure == null) {
            Thread.sleep(100);
        }
        if (failure != null) {
            throw new IllegalStateException("Reading the topic failed: " + failure, failure);
        }
        return count;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
