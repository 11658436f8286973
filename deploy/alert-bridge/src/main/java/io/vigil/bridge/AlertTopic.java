package io.vigil.bridge;

import io.vigil.schemas.Alert;
import io.vigil.schemas.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert topic as the bridge reads it: every partition assigned to this one process (no group
 * rebalancing), {@code read_committed}, offsets committed by hand into the consumer group, which holds
 * nothing but the record of what was delivered ({@link AlertTable#commits}).
 */
final class AlertTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertTopic.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    /** One decoded alert record. */
    record Record(Alert alert, int partition, long offset) {}

    private final BridgeConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BinaryMessageDecoder<Alert> decoder = WireFormat.decoder(Alert.class);
    private List<TopicPartition> partitions = List.of();
    private Map<Integer, AlertTable.Commit> lastCommitted = Map.of();
    private boolean commitFailing;

    AlertTopic(BridgeConfig config) {
        this.config = config;
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alert-bridge");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until the topic exists and its partitions are known, saying why while it cannot. */
    void awaitTopic(BooleanSupplier running) throws InterruptedException {
        String lastProblem = null;
        while (running.getAsBoolean()) {
            String problem;
            try {
                List<PartitionInfo> info = consumer.partitionsFor(config.topic(), Duration.ofSeconds(10));
                if (info != null && !info.isEmpty()) {
                    partitions = info.stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                            .toList();
                    consumer.assign(partitions);
                    LOG.info(
                            "Topic {} on {}: {} partitions",
                            config.topic(),
                            config.bootstrapServers(),
                            partitions.size());
                    return;
                }
                problem = "topic " + config.topic() + " does not exist on " + config.bootstrapServers()
                        + " (create it, e.g. deploy/local/bin/vigil-local topics-create)";
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                problem = "no answer from Kafka at " + config.bootstrapServers() + " within 10 s (" + e.getMessage()
                        + "): is the broker running, and kafka.bootstrap-servers right?";
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                problem = "Kafka at " + config.bootstrapServers() + " refused: " + e.getMessage();
            }
            if (!problem.equals(lastProblem)) {
                LOG.warn("Cannot read alerts yet: {}; retrying every {} s", problem, RETRY.toSeconds());
                lastProblem = problem;
            }
            Thread.sleep(RETRY.toMillis());
        }
    }

    /**
     * Reads every partition from its beginning to its end as of now, handing each alert to
     * {@code sink} with whether its effect was delivered before (by the committed offsets and metadata).
     */
    int rebuild(AlertTable table, BridgeMetrics metrics, Instant now) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<Integer, AlertTable.Commit> commits = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                commits.put(tp.partition(), new AlertTable.Commit(om.offset(), om.metadata()));
            }
        });
        lastCommitted = Map.copyOf(commits);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        int read = 0;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (Record r : poll(Duration.ofMillis(500), metrics)) {
                table.apply(
                        r.alert(),
                        r.partition(),
                        r.offset(),
                        AlertTable.delivered(r.offset(), commits.get(r.partition())),
                        now);
                read++;
            }
        }
        return read;
    }

    /** The next alert records (undecodable ones are logged, counted and skipped). */
    List<Record> poll(Duration timeout, BridgeMetrics metrics) {
        List<Record> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                out.add(new Record(decoder.decode(r.value()), r.partition(), r.offset()));
                metrics.read(true);
            } catch (Exception e) {
                metrics.read(false);
                LOG.warn(
                        "Skipping {}-{}@{}: not a Vigil alert record ({})",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.toString());
            }
        }
        return out;
    }

    /** Next offset to read, per partition. */
    Map<Integer, Long> positions() {
        Map<Integer, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp.partition(), consumer.position(tp));
        }
        return out;
    }

    /** Records not read yet, over all partitions (0 while unknown). */
    long lag() {
        long sum = 0;
        for (TopicPartition tp : partitions) {
            sum += consumer.currentLag(tp).orElse(0);
        }
        return sum;
    }

    /**
     * Commits {@code commits} unless they are what was committed last; synchronously. A commit Kafka
     * refuses (the broker away) is logged and tried again at the next call: until then a restart would
     * send some alerts again, which Alertmanager takes as the same alerts.
     */
    void commit(Map<Integer, AlertTable.Commit> commits) {
        if (commits.equals(lastCommitted)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commits.forEach((p, c) ->
                offsets.put(new TopicPartition(config.topic(), p), new OffsetAndMetadata(c.offset(), c.metadata())));
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            lastCommitted = Map.copyOf(commits);
            commitFailing = false;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            if (!commitFailing) {
                LOG.warn(
                        "Cannot commit what was delivered to group {} on {}: {}; retrying",
                        config.groupId(),
                        config.bootstrapServers(),
                        e.toString());
                commitFailing = true;
            }
        }
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
