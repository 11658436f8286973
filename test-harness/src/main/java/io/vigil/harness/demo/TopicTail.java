package io.vigil.harness.demo;

import io.vigil.harness.kafka.CommittedRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Follows a topic from its beginning with {@code read_committed} on a thread of its own, handing the
 * records of each poll (all partitions' together; none when the poll found none, so the callback also
 * runs while the topic is quiet) to a callback and counting them, until closed.
 */
public final class TopicTail implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long count;
    private volatile long firstTimestamp = -1;
    private volatile long lastTimestamp = -1;
    private volatile Exception failure;

    public TopicTail(String bootstrapServers, String topic, Consumer<List<ConsumerRecord<byte[], byte[]>>> onBatch) {
        thread = new Thread(() -> follow(bootstrapServers, topic, onBatch), "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String bootstrapServers, String topic, Consumer<List<ConsumerRecord<byte[], byte[]>>> onBatch) {
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedRecords.consumer(bootstrapServers, "read_committed")) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (firstTimestamp < 0) {
                        firstTimestamp = r.timestamp();
                    }
                    lastTimestamp = r.timestamp();
                    batch.add(r);
                }
                onBatch.accept(batch);
                count += batch.size();
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
    public long awaitCount(long expected, Duration timeout) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count >= expected || failure != null);
        } catch (ConditionTimeoutException e) {
            return count; // the caller reports how many of the expected records came
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
