package io.vigil.harness.cli;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.AnomalyWindow;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.truth.EventLabelsCsv;
import io.vigil.harness.truth.GroundTruth;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.harness.write.ReadingCsvWriter;
import io.vigil.harness.write.ReadingSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code generate}: a labelled sensor stream to Kafka and/or files, with its ground truth. */
@Command(
        name = "generate",
        abbreviateSynopsis = true,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates a deterministic labelled multi-channel sensor stream and writes it to Kafka and/or files.",
            "At least one output is required: --topic, --truth, --labels, --csv or --history-csv."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--entities", description = "Number of entities (sensors). Default: ${DEFAULT-VALUE}.")
    private int entities = GeneratorConfig.DEFAULT_ENTITIES;

    @Option(names = "--entity-prefix", description = "Entity id prefix. Default: ${DEFAULT-VALUE}.")
    private String entityPrefix = GeneratorConfig.DEFAULT_ENTITY_PREFIX;

    @Option(
            names = "--channels",
            split = ",",
            description = "Channel names. Default: temperature,pressure,vibration,power.")
    private List<String> channels = GeneratorConfig.DEFAULT_CHANNELS;

    @Option(names = "--events", description = "Events per entity. Default: ${DEFAULT-VALUE}.")
    private int events = GeneratorConfig.DEFAULT_EVENTS_PER_ENTITY;

    @Option(
            names = "--interval-ms",
            description = "Milliseconds between two events of an entity. Default: ${DEFAULT-VALUE}.")
    private long intervalMillis = GeneratorConfig.DEFAULT_INTERVAL_MILLIS;

    @Option(names = "--start", description = "Event time of the first event (ISO-8601). Default: ${DEFAULT-VALUE}.")
    private Instant start = GeneratorConfig.DEFAULT_START;

    @Option(names = "--seed", description = "Seed of the noise and of where anomalies go. Default: ${DEFAULT-VALUE}.")
    private long seed = GeneratorConfig.DEFAULT_SEED;

    @Option(
            names = "--profile-seed",
            description = "Seed of the entities' normal behaviour. Default: ${DEFAULT-VALUE}.")
    private long profileSeed = GeneratorConfig.DEFAULT_PROFILE_SEED;

    @ArgGroup(exclusive = true)
    private AnomalyAmount amount;

    /** A count per entity or a rate, not both. */
    static final class AnomalyAmount {
        @Option(names = "--anomalies-per-entity", description = "Anomalies per entity. Default: 5.")
        Integer perEntity;

        @Option(names = "--anomaly-rate", description = "Anomalies per 1000 events of an entity, instead of a count.")
        Double perThousand;
    }

    @Option(names = "--kinds", split = ",", description = "Anomaly kinds: ${COMPLETION-CANDIDATES}. Default: all.")
    private EnumSet<AnomalyKind> kinds = EnumSet.allOf(AnomalyKind.class);

    @Option(
            names = "--warmup",
            description = "Events at the start of each entity without anomalies. Default: ${DEFAULT-VALUE}.")
    private int warmup = GeneratorConfig.DEFAULT_WARMUP_EVENTS;

    @Option(
            names = "--min-gap",
            description = "Normal events between two anomalies of an entity. Default: ${DEFAULT-VALUE}.")
    private int minGap = GeneratorConfig.DEFAULT_MIN_GAP_EVENTS;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (host:port), with --topic.")
    private String bootstrapServers;

    @Mixin
    private KafkaClientOption kafkaClient;

    @Option(names = "--topic", description = "Kafka topic for the readings, with --bootstrap-servers.")
    private String topic;

    @Option(
            names = "--rate",
            description = "Target events/s to Kafka; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
    private double rate = 0;

    @Option(
            names = "--garbage-fraction",
            description = "Extra bad records per reading to Kafka (undecodable, NaN, missing channel), 0-1."
                    + " Default: ${DEFAULT-VALUE}.")
    private double garbageFraction = 0;

    @Option(names = "--garbage-seed", description = "Seed of the bad records. Default: ${DEFAULT-VALUE}.")
    private long garbageSeed = 0;

    @Option(names = "--truth", description = "Write the ground truth (windows, config, event counts) as JSON here.")
    private Path truth;

    @Option(names = "--labels", description = "Write per-event labels (entity,timestamp,label) as CSV here.")
    private Path labels;

    @Option(names = "--csv", description = "Write the readings as CSV (timestamp,entity,<channels>,label) here.")
    private Path csv;

    @Option(
            names = "--history-csv",
            description = "Write anomaly-free training history of the same entities as CSV here.")
    private Path historyCsv;

    @Option(names = "--history-events", description = "History events per entity. Default: ${DEFAULT-VALUE}.")
    private int historyEvents = 10_000;

    @Option(names = "--history-seed", description = "Noise seed of the history. Default: the seed + 1000003.")
    private Long historySeed;

    @Option(
            names = "--history-start",
            description = "Event time of the history's first event. Default: so it ends just before --start.")
    private Instant historyStart;

    @Override
    public Integer call() {
        GeneratorConfig config = config();
        boolean toKafka = bootstrapServers != null || topic != null;
        if (toKafka && (bootstrapServers == null || topic == null)) {
            throw new ParameterException(
                    spec.commandLine(), "--bootstrap-servers and --topic go together: give both or neither");
        }
        if (!toKafka && truth == null && labels == null && csv == null && historyCsv == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Nothing to write: give --topic with --bootstrap-servers, or --truth, --labels, --csv or --history-csv");
        }
        KafkaReadingWriter.Config kafkaConfig = null;
        if (toKafka) {
            try {
                kafkaConfig = KafkaReadingWriter.Config.of(bootstrapServers, topic)
                        .withRate(rate)
                        .withGarbage(garbageFraction, garbageSeed)
                        .withProducerConfigs(kafkaClient.properties(spec));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        SensorStreamGenerator generator = new SensorStreamGenerator(config);

        if (historyCsv != null) {
            long seedOfHistory = historySeed != null ? historySeed : config.seed() + 1_000_003;
            Instant from = historyStart != null
                    ? historyStart
                    : config.start().minusMillis(historyEvents * config.intervalMillis());
            SensorStreamGenerator history = generator.history(seedOfHistory, from, historyEvents);
            try (ReadingCsvWriter w = new ReadingCsvWriter(historyCsv, config.channels())) {
                history.forEach(w::accept);
                out.printf(
                        "history   %d readings (%s .. %s) -> %s%n",
                        w.rows(), from, history.config().end(), historyCsv);
            }
        }

        List<ReadingSink> sinks = new ArrayList<>();
        KafkaReadingWriter kafka = null;
        ReadingCsvWriter csvWriter = null;
        EventLabelsCsv labelWriter = null;
        try {
            if (csv != null) {
                sinks.add(csvWriter = new ReadingCsvWriter(csv, config.channels()));
            }
            if (labels != null) {
                sinks.add(labelWriter = new EventLabelsCsv(labels));
            }
            if (kafkaConfig != null) {
                sinks.add(kafka = new KafkaReadingWriter(kafkaConfig, config.channels()));
            }
            for (LabeledReading r : generator) {
                for (ReadingSink s : sinks) {
                    s.accept(r);
                }
            }
            out.printf(
                    "generated %d readings of %d entities (%s .. %s), %d anomaly windows%s%n",
                    generator.size(),
                    config.entities(),
                    config.start(),
                    config.end(),
                    generator.groundTruth().size(),
                    kindSummary(generator));
            if (kafka != null) {
                KafkaReadingWriter.Report report = kafka.finish();
                out.println("kafka     " + report.toText());
                if (report.failedSends() > 0) {
                    spec.commandLine()
                            .getErr()
                            .println("generate: " + report.failedSends() + " records were not written: "
                                    + kafka.firstFailure());
                    return HarnessCli.FAILURE;
                }
            }
        } finally {
            for (ReadingSink s : sinks) {
                s.close();
            }
        }
        if (csvWriter != null) {
            out.printf("csv       %d readings -> %s%n", csvWriter.rows(), csv);
        }
        if (labelWriter != null) {
            out.printf("labels    %d events -> %s%n", labelWriter.rows(), labels);
        }
        if (truth != null) {
            GroundTruth.of(generator).write(truth);
            out.printf("truth     %d windows -> %s%n", generator.groundTruth().size(), truth);
        }
        return 0;
    }

    private GeneratorConfig config() {
        GeneratorConfig.Builder b = GeneratorConfig.builder()
                .entities(entities)
                .entityPrefix(entityPrefix)
                .channels(channels)
                .eventsPerEntity(events)
                .intervalMillis(intervalMillis)
                .start(start)
                .seed(seed)
                .profileSeed(profileSeed)
                .kinds(kinds)
                .warmupEvents(warmup)
                .minGapEvents(minGap);
        try {
            if (amount != null && amount.perEntity != null) {
                b.anomaliesPerEntity(amount.perEntity);
            } else if (amount != null && amount.perThousand != null) {
                b.anomalyRate(amount.perThousand);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static String kindSummary(SensorStreamGenerator g) {
        if (g.groundTruth().isEmpty()) {
            return "";
        }
        Map<AnomalyKind, Long> counts = new EnumMap<>(AnomalyKind.class);
        for (AnomalyWindow w : g.groundTruth()) {
            counts.merge(w.kind(), 1L, Long::sum);
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
