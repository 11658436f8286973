package io.vigil.harness.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process broker against real clients: plain round trip, transactions, loopback-only binding. */
class EmbeddedKafkaITCase {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        // A slow broker start multiplies over every test class; keep it in seconds.
        assertThat(startMillis).isLessThan(20_000);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void producedRecordsAreConsumedInOrder() {
        kafka.createTopic("round-trip", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer(null)) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("round-trip", "k" + (i % 3), "v" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> got = readAll("round-trip", "read_uncommitted", 100);
        assertThat(got).hasSize(100);
        assertThat(got.get(0).value()).isEqualTo("v0");
        assertThat(got.get(99).value()).isEqualTo("v99");
    }

    @Test
    void readCommittedSeesCommittedRecordsOnceAndNeverAbortedOnes() {
        kafka.createTopic("tx", 2, Map.of());
        try (KafkaProducer<String, String> producer = producer("embedded-kafka-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("tx", "k" + i, "committed-" + i));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("tx", "k" + i, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k0", "committed-last"));
            producer.commitTransaction();
        }

        List<String> committed = readAll("tx", "read_committed", 11).stream()
                .map(ConsumerRecord::value)
                .toList();
        assertThat(committed).hasSize(11).doesNotHaveDuplicates().allMatch(v -> v.startsWith("committed-"));
        assertThat(committed).contains("committed-0", "committed-9", "committed-last");

        // The aborted records are physically in the log: read_uncommitted proves they were written.
        List<String> everything = readAll("tx", "read_uncommitted", 16).stream()
                .map(ConsumerRecord::value)
                .toList();
        assertThat(everything).filteredOn(v -> v.startsWith("aborted-")).hasSize(5);
    }

    @Test
    void listensOnLoopbackOnly() {
        for (int port : new int[] {kafka.port(), kafka.controllerPort()}) {
            List<String> bound = ListeningSockets.addressesListeningOn(port);
            assertThat(bound)
                    .as("listening sockets on port %d", port)
                    .isNotEmpty()
                    .allMatch("127.0.0.1"::equals);
        }
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Reads from the beginning until {@code expected} records arrived and one more poll brings nothing. */
    private static List<ConsumerRecord<String, String>> readAll(String topic, String isolation, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 15_000;
            boolean quietAfterExpected = false;
            while (System.currentTimeMillis() < deadline && !quietAfterExpected) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(out::add);
                quietAfterExpected = out.size() >= expected && batch.isEmpty();
            }
        }
        return out;
    }
}
