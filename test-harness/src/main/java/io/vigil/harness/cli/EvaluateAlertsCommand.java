package io.vigil.harness.cli;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.evaluate.AlertEvaluation;
import io.vigil.harness.evaluate.AlertEvaluator;
import io.vigil.harness.evaluate.AlertTopicReader;
import io.vigil.harness.truth.EventLabel;
import io.vigil.harness.truth.EventLabelsCsv;
import io.vigil.harness.truth.GroundTruth;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evaluate}: reads an alert topic (read_committed) and scores it against a ground truth. */
@Command(
        name = "evaluate",
        abbreviateSynopsis = true,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads every committed record of an alert topic and scores the alerts against the ground truth of the input.",
            "Exits 1 when a --require-* check fails."
        })
public final class EvaluateAlertsCommand implements Callable<Integer> {

    /** How the report is printed. */
    enum Format {
        TEXT,
        JSON
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers (host:port).")
    private String bootstrapServers;

    @Mixin
    private KafkaClientOption kafkaClient;

    @Option(names = "--topic", required = true, description = "The alert topic.")
    private String topic;

    @Option(names = "--truth", required = true, description = "Ground truth JSON written by generate --truth.")
    private Path truth;

    @Option(
            names = "--labels",
            description = "Per-event labels CSV written by generate --labels (for event-level figures).")
    private Path labels;

    @Option(
            names = "--tolerance-events",
            description = "Events after a window's end in which an alert still counts as detecting it."
                    + " Default: ${DEFAULT-VALUE}.")
    private int toleranceEvents = AlertEvaluator.DEFAULT_TOLERANCE_EVENTS;

    @Option(
            names = "--idle-seconds",
            description = "Stop reading after this long without a new record. Default: ${DEFAULT-VALUE}.")
    private long idleSeconds = 10;

    @Option(
            names = "--timeout-seconds",
            description = "Stop reading after this long in any case. Default: ${DEFAULT-VALUE}.")
    private long timeoutSeconds = 300;

    @Option(
            names = "--format",
            description = "Report on standard output as ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private Format format = Format.TEXT;

    @Option(names = "--json", description = "Also write the JSON report to this file.")
    private Path json;

    @Option(names = "--require-recall", description = "Fail (exit 1) if window recall is below this.")
    private Double requireRecall;

    @Option(names = "--require-precision", description = "Fail (exit 1) if alert precision is below this.")
    private Double requirePrecision;

    @Option(
            names = "--require-no-duplicates",
            description = "Fail (exit 1) on any duplicate alert record (exactly-once check).")
    private boolean requireNoDuplicates;

    @Override
    public Integer call() {
        AlertTopicReader.Options read;
        AlertEvaluator evaluator;
        try {
            read = AlertTopicReader.Options.of(
                    bootstrapServers, topic, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(timeoutSeconds));
            for (Map.Entry<String, String> e : kafkaClient.properties(spec).entrySet()) {
                read = read.withConsumerConfig(e.getKey(), e.getValue());
            }
            GroundTruth groundTruth = GroundTruth.read(truth);
            List<EventLabel> eventLabels = labels == null ? List.of() : EventLabelsCsv.read(labels);
            evaluator = new AlertEvaluator(
                    groundTruth.windows(),
                    eventLabels,
                    new AlertEvaluator.Options(groundTruth.intervalMillis(), toleranceEvents));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        AlertEvaluation report = evaluator.evaluateTopic(read);

        PrintWriter out = spec.commandLine().getOut();
        out.println(format == Format.JSON ? report.toJson() : report.toText());
        if (json != null) {
            try {
                Path parent = json.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the report to " + json, e);
            }
        }

        List<String> failed = new ArrayList<>();
        if (requireRecall != null && report.windows().recall() < requireRecall) {
            failed.add(String.format(
                    Locale.ROOT, "window recall %.3f < %.3f", report.windows().recall(), requireRecall));
        }
        if (requirePrecision != null && report.alerts().precision() < requirePrecision) {
            failed.add(String.format(
                    Locale.ROOT, "alert precision %.3f < %.3f", report.alerts().precision(), requirePrecision));
        }
        if (requireNoDuplicates && report.integrity().duplicates() > 0) {
            failed.add(report.integrity().duplicates() + " duplicate alert records");
        }
        if (!failed.isEmpty()) {
            spec.commandLine().getErr().println("evaluate: requirement not met: " + String.join("; ", failed));
            return HarnessCli.FAILURE;
        }
        return 0;
    }
}
