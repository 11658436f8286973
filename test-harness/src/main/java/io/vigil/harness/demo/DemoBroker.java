package io.vigil.harness.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.schemas.Alert;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.io.file.PathUtils;

/**
 * What every demo does around its stream: a fresh work directory, the in-process broker with the stream's
 * topics and the model-updates topic, the alert, score and dead-letter topics followed while it streams, and
 * the report printed and written.
 */
final class DemoBroker {

    /** A stream's topics. */
    record Topics(String input, String alerts, String scores, String deadLetter) {}

    /** What runs while the broker is up. */
    interface Body<T> {
        T run(EmbeddedKafka kafka, Path work) throws Exception;
    }

    private DemoBroker() {}

    /** Empties {@code workDir}, starts the broker in it with the topics, runs {@code body}, stops the broker. */
    static <T> T run(DemoConsole console, Path workDir, Topics t, Body<T> body) throws Exception {
        Path work = workDir.toAbsolutePath();
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        console.step("Starting Kafka (the real 4.2 broker, in this process, on 127.0.0.1)");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            kafka.createTopic(t.input(), 4, Map.of());
            kafka.createTopic(t.alerts(), 2, Map.of());
            kafka.createTopic(t.scores(), 4, Map.of("message.timestamp.type", "LogAppendTime"));
            kafka.createTopic(t.deadLetter(), 1, Map.of());
            kafka.createTopic(EmbeddedDemo.MODEL_UPDATES, 1, Map.of("cleanup.policy", "compact"));
            console.say(
                    "broker at %s; topics %s, %s, %s, %s, %s",
                    kafka.bootstrapServers(),
                    t.input(),
                    t.alerts(),
                    t.scores(),
                    t.deadLetter(),
                    EmbeddedDemo.MODEL_UPDATES);
            return body.run(kafka, work);
        } finally {
            console.say("done in %.0f s", console.seconds());
            console.out().flush();
        }
    }

    /** Publishes the bundle to the store and announces it on the model-updates topic. */
    static Publication publish(DemoConsole console, EmbeddedKafka kafka, Path bundle, Path store) throws Exception {
        console.step("Publishing the bundle to the model store and announcing it on %s", EmbeddedDemo.MODEL_UPDATES);
        Publication published =
                new Publisher(PublishOptions.toStore(store).withKafka(kafka.bootstrapServers())).publish(bundle);
        console.say("%s/%s at %s", published.modelId(), published.version(), published.directory());
        return published;
    }

    /**
     * Follows a running demo's output topics from their start: the alerts decoded, kept in {@link #alerts} and
     * handed to the printer as they commit; the scores and the dead letters counted.
     */
    static final class Tails implements AutoCloseable {

        final List<Alert> alerts = new CopyOnWriteArrayList<>();
        final TopicTail scores;
        final TopicTail deadLetters;
        private final TopicTail alertTail;

        Tails(String bootstrapServers, Topics t, OrderedAlertPrinter printer, PrintWriter out) {
            var decoder = WireFormat.decoder(Alert.class);
            alertTail = new TopicTail(bootstrapServers, t.alerts(), batch -> {
                List<Alert> decoded = new ArrayList<>();
                for (var r : batch) {
                    try {
                        decoded.add(decoder.decode(r.value()));
                    } catch (IOException e) {
                        out.println("    (an alert record could not be decoded: " + e.getMessage() + ")");
                    }
                }
                alerts.addAll(decoded);
                printer.accept(decoded);
            });
            scores = new TopicTail(bootstrapServers, t.scores(), batch -> {});
            deadLetters = new TopicTail(bootstrapServers, t.deadLetter(), batch -> {});
        }

        @Override
        public void close() throws InterruptedException {
            alertTail.close();
            scores.close();
            deadLetters.close();
        }
    }

    /** Prints the report's text and writes it to {@code report.txt}, and {@code json} to {@code report.json}. */
    static void writeReport(DemoConsole console, Path work, String text, Object json) throws IOException {
        PrintWriter out = console.out();
        out.println();
        out.println(text);
        out.flush();
        Files.writeString(work.resolve("report.txt"), text);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(work.resolve("report.json").toFile(), json);
        console.say("report written to %s (report.txt, report.json)", work);
    }
}
