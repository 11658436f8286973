package io.vigil.trainer.cli;

import io.vigil.kafka.KafkaAccess;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil-trainer publish}: copies a bundle into the model store atomically and announces it on Kafka. */
@Command(
        name = "publish",
        showDefaultValues = true,
        header = "Publish a bundle to the model store and announce it.",
        sortOptions = false,
        description = {
            "Verifies a bundle, copies it to <store>/<model id>/<version>/ (atomically, by rename), points"
                    + " <store>/<model id>/LATEST at it, and announces it on the compacted model-updates topic"
                    + " (created if missing) so running jobs load it.",
            "If Kafka cannot be reached the bundle stays published; announce it later with --announce-only."
        })
final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(
            names = {"-b", "--bundle"},
            paramLabel = "<dir>",
            description = "The bundle directory to publish.")
    Path bundle;

    @Option(
            names = {"-s", "--store"},
            paramLabel = "<dir>",
            required = true,
            description = "The model store directory.")
    Path store;

    @Option(names = "--no-announce", description = "Publish to the store only; do not announce on Kafka.")
    boolean noAnnounce;

    @Option(
            names = "--announce-only",
            description = "Announce a bundle already in the store (needs --model-id; --version defaults to LATEST).")
    boolean announceOnly;

    @Option(names = "--model-id", paramLabel = "<id>", description = "With --announce-only: the model to announce.")
    String modelId;

    @Option(
            names = "--version",
            paramLabel = "<version>",
            description = "With --announce-only: the version to announce (default: the one LATEST names).")
    String version;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "<host:port>",
            defaultValue = PublishOptions.DEFAULT_BOOTSTRAP_SERVERS,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            paramLabel = "<topic>",
            defaultValue = PublishOptions.DEFAULT_TOPIC,
            description = "The model-updates topic (created compacted if missing).")
    String topic;

    @Option(
            names = "--kafka-timeout",
            paramLabel = "<duration>",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest the Kafka steps may take in all, e.g. 30s.")
    Duration kafkaTimeout;

    @Option(names = "--kafka-properties-file", paramLabel = "<file>", description = KafkaAccess.FILE_OPTION_DESCRIPTION)
    Path kafkaPropertiesFile;

    @Option(
            names = "--kafka-property",
            paramLabel = "<key=value>",
            description = "Extra Kafka client property that is not a credential, e.g. linger.ms=5 (repeatable); wins"
                    + " over the file.")
    Map<String, String> kafkaProperties;

    /** The file's properties, then the --kafka-property ones over them; a credential on the command line is refused. */
    private Map<String, String> kafkaClientProperties() {
        Map<String, String> merged = new LinkedHashMap<>();
        if (kafkaPropertiesFile != null) {
            try {
                merged.putAll(KafkaAccess.load(kafkaPropertiesFile));
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, "--kafka-properties-file", e.getMessage());
            }
        }
        if (kafkaProperties != null) {
            for (Map.Entry<String, String> e : kafkaProperties.entrySet()) {
                if (KafkaAccess.isSecret(e.getKey())) {
                    throw Cli.usage(
                            spec,
                            "--kafka-property",
                            KafkaAccess.secretOnCommandLine(e.getKey(), "--kafka-properties-file"));
                }
                merged.put(e.getKey(), e.getValue());
            }
        }
        return merged;
    }

    @Override
    public Integer call() throws Exception {
        if (announceOnly && noAnnounce) {
            throw Cli.usage(spec, "--no-announce", "cannot be combined with --announce-only");
        }
        if (announceOnly && bundle != null) {
            throw Cli.usage(
                    spec,
                    "--bundle",
                    "--announce-only announces a bundle already in the store; give --model-id"
                            + " (and --version) instead of --bundle");
        }
        if (announceOnly && modelId == null) {
            throw Cli.usage(spec, "--model-id", "--announce-only needs --model-id");
        }
        if (!announceOnly && bundle == null) {
            throw Cli.usage(spec, "--bundle", "missing: give the bundle directory to publish (or --announce-only)");
        }
        if (!announceOnly && (modelId != null || version != null)) {
            throw Cli.usage(
                    spec,
                    modelId != null ? "--model-id" : "--version",
                    "only applies with --announce-only; a bundle's id and version are in its manifest");
        }
        PublishOptions options;
        try {
            options = new PublishOptions(
                    store, !noAnnounce, bootstrapServers, topic, kafkaTimeout, kafkaClientProperties());
        } catch (IllegalArgumentException e) {
            throw Cli.usage(
                    spec,
                    e.getMessage().contains("topic")
                            ? "--topic"
                            : e.getMessage().contains("timeout") ? "--kafka-timeout" : "--bootstrap-servers",
                    e.getMessage());
        }
        Publisher publisher = new Publisher(options);
        Publication p = announceOnly ? publisher.announceOnly(modelId, version) : publisher.publish(bundle);
        PrintWriter out = spec.commandLine().getOut();
        if (!announceOnly) {
            out.println("published   " + p.modelId() + " version " + p.version() + " at " + p.directory());
            out.println("latest      " + store.resolve(p.modelId()).resolve("LATEST") + " -> " + p.version());
        }
        out.println("manifest    sha256 " + p.manifestSha256());
        if (p.announced()) {
            out.println("announced   on " + p.topic() + " (partition " + p.partition() + ", offset " + p.offset()
                    + ") at " + bootstrapServers + ": " + p.uri());
        } else {
            out.println("announced   no (--no-announce); announce later with: vigil-trainer publish --announce-only"
                    + " --store " + store + " --model-id " + p.modelId() + " --version " + p.version());
        }
        p.warnings().forEach(w -> out.println("warning     " + w));
        out.flush();
        return 0;
    }
}
