package io.vigil.harness.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.harness.bench.BenchmarkModel;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.kafka.KafkaAccess;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The job, the trainer's publisher and the harness on deploy/local's broker run with SASL/SCRAM-SHA-512 over
 * TLS ({@code VIGIL_KAFKA_SECURITY=sasl-ssl}), each with its credentials from the stack's Kafka client
 * properties file: the announcement is published, every reading scored once, every bad record
 * dead-lettered. A wrong password and a certificate the client does not trust fail the job's submission
 * with a message naming the cause; no password of the run appears in any of its logs.
 *
 * <p>A stack of its own (3-4 minutes on a loaded machine), so it runs with the long cases: {@code mvn -B
 * verify -Preliability}.
 */
@Tag("reliability")
class SecuredKafkaE2ECase {

    private static final int ENTITIES = 6;
    private static final int EVENTS = 400;

    private static LocalStack stack;
    private static Path work;
    private static double startSeconds;

    @BeforeAll
    static void startSecuredStack() throws Exception {
        Path repo = LocalStack.repository();
        work = repo.resolve("test-harness/target/e2e-secured");
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        long started = System.nanoTime();
        stack = LocalStack.startSecured(repo, work.resolve("run"));
        stack.run("topics-create");
        startSeconds = (System.nanoTime() - started) / 1e9;
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyProgramConnectsWithCredentialsFromTheFileAndBadOnesFailAtStartNamingTheCause() throws Exception {
        Map<String, String> client = KafkaAccess.load(stack.kafkaClientProperties());
        assertThat(client)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(KafkaAccess.check(stack.bootstrapServers(), Map.of(), Duration.ofSeconds(5)))
                .as("a plaintext client gets no answer from the SASL_SSL listener")
                .isNotNull();

        SensorStreamGenerator live = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(2)
                .seed(23)
                .build());
        BenchmarkModel model = BenchmarkModel.trainAndPublish(live, 600, 2, work, ProgressListener.silent());
        Path store = work.resolve("store");
        Publication published = new Publisher(PublishOptions.toStore(store)
                        .withKafka(stack.bootstrapServers())
                        .withKafkaProperties(client))
                .publish(work.resolve("bundle-" + model.version()));
        assertThat(published.announced()).as("announced on the secured broker").isTrue();
        assertThat(published.offset()).isGreaterThanOrEqualTo(0);

        KafkaReadingWriter.Config writing = KafkaReadingWriter.Config.of(stack.bootstrapServers(), "vigil-readings")
                .withGarbage(0.01, 5)
                .withProducerConfigs(client);
        KafkaReadingWriter.Report sent;
        try (KafkaReadingWriter w = new KafkaReadingWriter(writing, live.channels())) {
            live.forEach(w::accept);
            sent = w.finish();
        }

        Path jar = LocalStack.shadedJobJar(LocalStack.repository());
        Path wrongPassword = work.resolve("wrong-password.properties");
        Files.writeString(
                wrongPassword,
                Files.readString(stack.kafkaClientProperties())
                        .replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));
        assertThatThrownBy(() -> stack.submit(jar, 2, null, jobArgs(store, model, wrongPassword)))
                .hasMessageContaining("Kafka at " + stack.bootstrapServers()
                        + " refused the SCRAM-SHA-512 login of user 'vigil': wrong password or unknown user");
        Path untrusted = work.resolve("untrusted.properties");
        Files.writeString(
                untrusted,
                Files.readString(stack.kafkaClientProperties()).replaceAll("(?m)^ssl\\.truststore\\..*$", ""));
        assertThatThrownBy(() -> stack.submit(jar, 2, null, jobArgs(store, model, untrusted)))
                .hasMessageContaining("TLS handshake with Kafka at " + stack.bootstrapServers()
                        + " failed: the broker's certificate is not trusted by the JVM's default CAs");
        assertThatThrownBy(() -> stack.submit(
                        jar,
                        2,
                        null,
                        List.of(
                                "--kafka.bootstrap-servers",
                                stack.bootstrapServers(),
                                "--kafka.properties.sasl.jaas.config",
                                "x")))
                .hasMessageContaining("--kafka.properties.sasl.jaas.config carries a credential");

        long streamStarted = System.nanoTime();
        String job = stack.submit(jar, 2, null, jobArgs(store, model, stack.kafkaClientProperties()));
        stack.awaitState(job, "FINISHED", Duration.ofMinutes(4));
        double jobSeconds = (System.nanoTime() - streamStarted) / 1e9;

        List<ConsumerRecord<byte[], byte[]>> scores =
                CommittedRecords.read(stack.bootstrapServers(), "vigil-scores", client);
        var decoder = WireFormat.decoder(EventScore.class);
        Set<String> distinct = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : scores) {
            EventScore s = decoder.decode(r.value());
            distinct.add(s.getEntityId() + "@" + s.getEventTime().toEpochMilli());
        }
        long deadLetters = CommittedRecords.read(stack.bootstrapServers(), "vigil-dead-letter", client)
                .size();
        // every reading of every key scored once, but each key's first W - 1 (its window filling)
        long expected = (long) ENTITIES * (EVENTS - model.window() + 1);
        assertThat(scores).as("every reading scored").hasSize((int) expected);
        assertThat(distinct).as("each once").hasSize((int) expected);
        assertThat(deadLetters).as("every bad record dead-lettered").isEqualTo(sent.garbageTotal());

        List<String> passwords = new ArrayList<>();
        try (Stream<Path> files = Files.list(work.resolve("run/kafka/security"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".password")).toList()) {
                passwords.add(Files.readString(f).strip());
            }
        }
        assertThat(passwords).hasSize(3).allMatch(p -> p.length() >= 20);
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> logs = Files.walk(work.resolve("run/logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
                passwords.stream().filter(text::contains).forEach(p -> leaks.add(log.toString()));
            }
        }
        assertThat(leaks).as("log files holding a password of the run").isEmpty();

        System.out.printf(
                Locale.ROOT,
                "[secured] SASL_SSL stack up in %.1f s; announcement at offset %d; %,d readings + %d garbage in;"
                        + " the bounded job ran %.1f s: %,d scores (%,d distinct, %,d expected), %d dead letters;"
                        + " no password in the logs%n",
                startSeconds,
                published.offset(),
                sent.readings(),
                sent.garbageTotal(),
                jobSeconds,
                scores.size(),
                distinct.size(),
                expected,
                deadLetters);
    }

    private static List<String> jobArgs(Path store, BenchmarkModel model, Path clientProperties) {
        return List.of(
                "--kafka.bootstrap-servers",
                stack.bootstrapServers(),
                "--kafka.client-properties-file",
                clientProperties.toString(),
                "--model.store",
                store.toString(),
                "--model.id",
                model.modelId(),
                "--kafka.starting-offsets",
                "earliest",
                "--kafka.stop-at-end",
                "true",
                "--topic.scores",
                "vigil-scores",
                "--watermark.idle-timeout",
                "1h");
    }
}
