package io.vigil.harness.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker in a given directory and port keeps its data across a restart; a temporary one leaves nothing. */
class EmbeddedKafkaRestartITCase {

    @Test
    void dataInAGivenDirectorySurvivesARestartOnTheSamePort(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
            port = s.getLocalPort();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            kafka.createTopic("kept", 1, Map.of("retention.ms", "-1"));
            try (KafkaProducer<String, String> p =
                    new KafkaProducer<>(producerProps(kafka), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20; i++) {
                    p.send(new ProducerRecord<>("kept", "k", "v" + i));
                }
            }
        }
        assertThat(dir.resolve("logs/meta.properties")).exists();

        try (EmbeddedKafka again = EmbeddedKafka.start(dir, port)) {
            assertThat(read(again, "kept", 20)).hasSize(20).startsWith("v0").endsWith("v19");
        }
        assertThat(dir).exists();
    }

    @Test
    void aTemporaryDirectoryIsDeletedOnClose() {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            dir = kafka.dataDir();
            assertThat(Files.exists(dir)).isTrue();
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void optionsRejectListenerOverridesAndBadPorts() {
        assertThatThrownBy(() ->
                        EmbeddedKafka.Options.temporary().withBrokerConfig("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .hasMessageContaining("fixed by EmbeddedKafka");
        assertThatThrownBy(() -> EmbeddedKafka.Options.temporary().withPort(70_000))
                .hasMessageContaining("1-65535");
        assertThatThrownBy(
                        () -> EmbeddedKafka.Options.temporary().withPort(9092).withControllerPort(9092))
                .hasMessageContaining("must differ");
    }

    private static Properties producerProps(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    private static List<String> read(EmbeddedKafka kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 20_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }
}
