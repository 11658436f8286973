package io.vigil.harness.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Everything committed to a topic right now, as a {@code read_committed} consumer sees it. */
public final class CommittedRecords {

    private CommittedRecords() {}

    /** Reads every partition from the beginning to its current end (last stable offset). */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic) {
        return read(bootstrapServers, topic, Map.of());
    }

    /** The same, with the client settings of a cluster that wants them ({@code security.protocol}, ...). */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            String bootstrapServers, String topic, Map<String, String> client) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "read_committed", client)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = settledEnd(bootstrapServers, client, consumer, parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading " + topic + " to its end took over 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Waits until at least {@code count} records are committed; returns how many there are. */
    public static int await(String bootstrapServers, String topic, long count, Duration timeout) {
        AtomicInteger seen = new AtomicInteger();
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(500))
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        seen.set(read(bootstrapServers, topic).size());
                        return seen.get() >= count;
                    });
            return seen.get();
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    seen.get() + " of " + count + " records committed to " + topic + " after " + timeout);
        }
    }

    /**
     * The committed end of each partition once it has caught up with the written end: the last stable
     * offset trails the end offset until the broker has written the markers of a transaction already
     * committed, so a snapshot taken just after a job ended can cut its last transaction off. Waits up to
     * 10 s for a topic nobody writes to any more; a topic still being written (a running job always has a
     * transaction open) is read to its stable end at once. A transaction still open after the wait stays
     * cut off (see {@link #visibility}).
     */
    private static Map<TopicPartition, Long> settledEnd(
            String bootstrapServers,
            Map<String, String> client,
            KafkaConsumer<byte[], byte[]> committed,
            List<TopicPartition> parts) {
        try (KafkaConsumer<byte[], byte[]> all = consumer(bootstrapServers, "read_uncommitted", client)) {
            Map<TopicPartition, Long> written = all.endOffsets(parts);
            AtomicReference<Map<TopicPartition, Long>> stable = new AtomicReference<>();
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            stable.set(committed.endOffsets(parts));
                            return stable.get().equals(written)
                                    || !all.endOffsets(parts).equals(written);
                        });
            } catch (ConditionTimeoutException e) {
                // a transaction still open: read to where it is stable
            }
            return stable.get();
        }
    }

    /**
     * Why a {@code read_committed} reader may see less than was written: per partition the last stable
     * offset against the end offset, and every transaction the broker still has open on the topic (its
     * transactional id, state and start). For failure messages.
     */
    public static String visibility(String bootstrapServers, String topic) {
        StringBuilder out = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrapServers, "read_committed");
                KafkaConsumer<byte[], byte[]> all = consumer(bootstrapServers, "read_uncommitted");
                Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<TopicPartition> parts = committed.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            Map<TopicPartition, Long> lso = committed.endOffsets(parts);
            Map<TopicPartition, Long> hw = all.endOffsets(parts);
            for (TopicPartition tp : parts) {
                out.append(String.format("%s: last stable offset %d, end offset %d%n", tp, lso.get(tp), hw.get(tp)));
            }
            var open = admin.listTransactions().all().get().stream()
                    .filter(t -> t.state() != TransactionState.COMPLETE_COMMIT
                            && t.state() != TransactionState.COMPLETE_ABORT
                            && t.state() != TransactionState.EMPTY)
                    .map(t -> t.transactionalId())
                    .toList();
            if (!open.isEmpty()) {
                for (var e : admin.describeTransactions(open).all().get().entrySet()) {
                    var d = e.getValue();
                    if (d.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(topic))) {
                        out.append(String.format(
                                "open transaction %s: %s since %s on %s%n",
                                e.getKey(),
                                d.state(),
                                java.time.Instant.ofEpochMilli(
                                        d.transactionStartTimeMs().orElse(-1)),
                                d.topicPartitions()));
                    }
                }
            }
        } catch (Exception e) {
            out.append("(could not inspect ")
                    .append(topic)
                    .append(": ")
                    .append(e)
                    .append(")");
        }
        return out.toString();
    }

    /** A byte-array consumer without a group or offset commits, at {@code isolation} (read_committed, ...). */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolation) {
        return consumer(bootstrapServers, isolation, Map.of());
    }

    /** The same with further consumer settings, e.g. {@code max.poll.records}. */
    public static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrapServers, String isolation, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putAll(overrides);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
