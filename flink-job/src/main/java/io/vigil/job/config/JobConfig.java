package io.vigil.job.config;

import io.vigil.kafka.KafkaAccess;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.Surprise;
import io.vigil.scoring.engine.EngineKind;
import java.io.File;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.YamlParserUtils;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The job's configuration, immutable and validated. Built from {@code --key value} arguments and an
 * optional {@code --config <file.yaml|file.properties>} (arguments win), parsed by {@link JobArguments}.
 * Keys under Vigil's own prefixes must be known options (a typo is an error naming the closest keys);
 * any other key is passed to Flink unchanged, so {@code --execution.checkpointing.interval 5s} works too.
 */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        String startingOffsets,
        boolean stopAtEnd,
        String readingsTopic,
        String alertsTopic,
        String scoresTopic,
        String deadLetterTopic,
        String modelUpdatesTopic,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Map<String, String> kafkaProperties,
        String modelStore,
        String modelId,
        String modelVersion,
        Duration outOfOrderness,
        Duration idleTimeout,
        Duration alignmentMaxDrift,
        Duration maxFuture,
        String schemaStore,
        EngineKind engine,
        int maxBatch,
        double thresholdOverride,
        int warmupOverride,
        Duration stateTtl,
        int resolveAfter,
        int maxOpenEvents,
        Duration cooldown,
        Map<String, String> flinkSettings,
        boolean sensors,
        io.vigil.job.transactions.TransactionConfig transactions)
        implements Serializable {

    /**
     * Parses arguments ({@code --key value} or {@code --key=value}, {@code --config file}; see
     * {@link JobArguments}); throws with a message for the user.
     */
    public static JobConfig fromArgs(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> fromArgs = JobArguments.values(args);
        for (String key : fromArgs.keySet()) {
            if (key.startsWith(VigilOptions.KAFKA_PROPERTIES_PREFIX)
                    && KafkaAccess.isSecret(key.substring(VigilOptions.KAFKA_PROPERTIES_PREFIX.length()))) {
                throw new IllegalArgumentException(KafkaAccess.secretOnCommandLine(
                        "--" + key, "--" + VigilOptions.CLIENT_PROPERTIES_FILE.key() + " or the --config file"));
            }
        }
        String file = fromArgs.remove("config");
        if (file != null) {
            values.putAll(readFile(Path.of(file)));
        }
        values.putAll(fromArgs);
        return fromMap(values);
    }

    /** Whether the arguments ask for the option list (or are none). */
    public static boolean helpRequested(String[] args) {
        return JobArguments.helpRequested(args);
    }

    /** Builds the configuration from flat key/value settings. */
    public static JobConfig fromMap(Map<String, String> values) {
        Map<String, String> flink = new LinkedHashMap<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        Configuration conf = new Configuration();
        Set<String> known = VigilOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(VigilOptions.KAFKA_PROPERTIES_PREFIX)) {
                kafka.put(key.substring(VigilOptions.KAFKA_PROPERTIES_PREFIX.length()), e.getValue());
            } else if (known.contains(key)) {
                conf.setString(key, e.getValue());
            } else {
                JobArguments.checkKnown(key); // a key under Vigil's prefixes must be an option
                flink.put(key, e.getValue());
            }
        }
        return fromConfiguration(conf, kafka, flink);
    }

    /**
     * The Kafka client properties: those of {@link VigilOptions#CLIENT_PROPERTIES_FILE} when set, then the
     * {@code kafka.properties.<name>} options over them.
     */
    private static Map<String, String> kafkaProperties(Configuration conf, Map<String, String> options) {
        Map<String, String> merged = new LinkedHashMap<>();
        conf.getOptional(VigilOptions.CLIENT_PROPERTIES_FILE)
                .ifPresent(file -> merged.putAll(KafkaAccess.load(Path.of(file))));
        merged.putAll(options);
        return Map.copyOf(merged);
    }

    /** Reads and validates the Vigil options from a Flink configuration. */
    public static JobConfig fromConfiguration(
            Configuration conf, Map<String, String> kafka, Map<String, String> flink) {
        String offsets = read(conf, VigilOptions.STARTING_OFFSETS).toLowerCase(Locale.ROOT);
        if (!List.of("earliest", "latest", "committed").contains(offsets)) {
            throw new IllegalArgumentException(VigilOptions.STARTING_OFFSETS.key() + " must be earliest, latest or"
                    + " committed, not '" + offsets + "'");
        }
        String guarantee = read(conf, VigilOptions.DELIVERY_GUARANTEE).toLowerCase(Locale.ROOT);
        DeliveryGuarantee dg = switch (guarantee) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default ->
                throw new IllegalArgumentException(VigilOptions.DELIVERY_GUARANTEE.key()
                        + " must be exactly-once or at-least-once, not '" + guarantee + "'");
        };
        EngineKind engine = EngineKind.parse(read(conf, VigilOptions.ENGINE));
        int maxBatch = read(conf, VigilOptions.MAX_BATCH);
        if (maxBatch < 1 || maxBatch > 65_536) {
            throw new IllegalArgumentException(VigilOptions.MAX_BATCH.key() + " must be in [1, 65536], is " + maxBatch);
        }
        double threshold = conf.getOptional(VigilOptions.THRESHOLD).orElse(Double.NaN);
        if (!Double.isNaN(threshold)) {
            Surprise.checkScore(threshold, VigilOptions.THRESHOLD.key());
        }
        int warmup = conf.getOptional(VigilOptions.WARMUP_EVENTS).orElse(-1);
        if (conf.getOptional(VigilOptions.WARMUP_EVENTS).isPresent() && warmup < 0) {
            throw new IllegalArgumentException(
                    VigilOptions.WARMUP_EVENTS.key() + " must not be negative, is " + warmup);
        }
        int resolveAfter = conf.getOptional(VigilOptions.RESOLVE_AFTER).orElse(-1);
        if (conf.getOptional(VigilOptions.RESOLVE_AFTER).isPresent() && resolveAfter < 1) {
            throw new IllegalArgumentException(
                    VigilOptions.RESOLVE_AFTER.key() + " must be at least 1, is " + resolveAfter);
        }
        int maxOpen = conf.getOptional(VigilOptions.MAX_OPEN).orElse(-1);
        if (conf.getOptional(VigilOptions.MAX_OPEN).isPresent() && maxOpen < 1) {
            throw new IllegalArgumentException(VigilOptions.MAX_OPEN.key() + " must be at least 1, is " + maxOpen);
        }
        Duration txTimeout = read(conf, VigilOptions.TRANSACTION_TIMEOUT);
        if (txTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException(VigilOptions.TRANSACTION_TIMEOUT.key() + " is " + txTimeout
                    + "; Kafka brokers refuse more than transaction.max.timeout.ms (15 min by default)");
        }
        positive(conf, VigilOptions.OUT_OF_ORDERNESS, true);
        positive(conf, VigilOptions.IDLE_TIMEOUT, false);
        positive(conf, VigilOptions.ALIGNMENT_MAX_DRIFT, true);
        if (read(conf, VigilOptions.STOP_AT_END)
                && !read(conf, VigilOptions.ALIGNMENT_MAX_DRIFT).isZero()) {
            // FLINK-39728, fixed after flink-connector-kafka 5.0.0-2.2: pausing a split that has just reached its
            // end fails the source ("No current assignment for partition"), and the job restarts.
            throw new IllegalArgumentException("--" + VigilOptions.ALIGNMENT_MAX_DRIFT.key() + " cannot be used with --"
                    + VigilOptions.STOP_AT_END.key() + "=true: the Kafka connector fails a source whose partition ends"
                    + " while alignment pauses it (FLINK-39728); align unbounded jobs only");
        }
        positive(conf, VigilOptions.MAX_FUTURE, false);
        positive(conf, VigilOptions.STATE_TTL, false);
        positive(conf, VigilOptions.COOLDOWN, true);
        String scores = read(conf, VigilOptions.TOPIC_SCORES).trim();
        List<String> streams = streams(read(conf, VigilOptions.STREAMS));
        boolean sensors = streams.contains("sensors");
        var transactions = streams.contains("transactions")
                ? io.vigil.job.transactions.TransactionConfig.fromConfiguration(conf)
                : null;
        return new JobConfig(
                required(conf, VigilOptions.BOOTSTRAP_SERVERS),
                read(conf, VigilOptions.GROUP_ID),
                offsets,
                read(conf, VigilOptions.STOP_AT_END),
                nonBlank(conf, VigilOptions.TOPIC_READINGS),
                nonBlank(conf, VigilOptions.TOPIC_ALERTS),
                scores,
                nonBlank(conf, VigilOptions.TOPIC_DEAD_LETTER),
                nonBlank(conf, VigilOptions.TOPIC_MODEL_UPDATES),
                dg,
                nonBlank(conf, VigilOptions.TRANSACTIONAL_ID_PREFIX),
                txTimeout,
                kafkaProperties(conf, kafka),
                required(conf, VigilOptions.MODEL_STORE),
                sensors
                        ? required(conf, VigilOptions.MODEL_ID)
                        : conf.getOptional(VigilOptions.MODEL_ID).orElse(""),
                nonBlank(conf, VigilOptions.MODEL_VERSION),
                read(conf, VigilOptions.OUT_OF_ORDERNESS),
                read(conf, VigilOptions.IDLE_TIMEOUT),
                read(conf, VigilOptions.ALIGNMENT_MAX_DRIFT),
                read(conf, VigilOptions.MAX_FUTURE),
                read(conf, VigilOptions.SCHEMA_STORE).trim(),
                engine,
                maxBatch,
                threshold,
                warmup,
                read(conf, VigilOptions.STATE_TTL),
                resolveAfter,
                maxOpen,
                read(conf, VigilOptions.COOLDOWN),
                Map.copyOf(flink),
                sensors,
                transactions);
    }

    /** The pipelines {@code streams} names: sensors and/or transactions, at least one. */
    private static List<String> streams(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (!name.equals("sensors") && !name.equals("transactions")) {
                throw new IllegalArgumentException("Option --" + VigilOptions.STREAMS.key() + " names '" + s.trim()
                        + "'; use sensors, transactions, or sensors,transactions");
            }
            out.add(name);
        }
        return out;
    }

    /** The same configuration with another model version (after resolving 'latest'). */
    public JobConfig withModelVersion(String version) {
        return copy(version, transactions);
    }

    /** The same configuration with another transaction model version (after resolving 'latest'). */
    public JobConfig withTransactions(io.vigil.job.transactions.TransactionConfig t) {
        return copy(modelVersion, t);
    }

    /** This configuration with another sensor model version and transaction configuration. */
    private JobConfig copy(String version, io.vigil.job.transactions.TransactionConfig transactions) {
        return new JobConfig(
                bootstrapServers,
                groupId,
                startingOffsets,
                stopAtEnd,
                readingsTopic,
                alertsTopic,
                scoresTopic,
                deadLetterTopic,
                modelUpdatesTopic,
                deliveryGuarantee,
                transactionalIdPrefix,
                transactionTimeout,
                kafkaProperties,
                modelStore,
                modelId,
                version,
                outOfOrderness,
                idleTimeout,
                alignmentMaxDrift,
                maxFuture,
                schemaStore,
                engine,
                maxBatch,
                thresholdOverride,
                warmupOverride,
                stateTtl,
                resolveAfter,
                maxOpenEvents,
                cooldown,
                flinkSettings,
                sensors,
                transactions);
    }

    /** The scorer's settings this configuration asks for (engine, batch, and overrides of the bundle's). */
    public Scorer.Settings scorerSettings() {
        return new Scorer.Settings(
                engine, maxBatch, thresholdOverride, warmupOverride, resolveAfter, maxOpenEvents, cooldown);
    }

    public boolean emitScores() {
        return !scoresTopic.isEmpty();
    }

    /** Option reference: key, default, description; for {@code --help}. */
    public static String describeOptions() {
        return JobArguments.usage();
    }

    /** The plain text of an option's description (all of Vigil's are single text blocks). */
    static String text(ConfigOption<?> option) {
        StringBuilder s = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement t) {
                s.append(t.getFormat());
            }
        }
        return s.toString();
    }

    static String format(Object v) {
        return v instanceof Duration d ? d.toString().substring(2).toLowerCase(Locale.ROOT) : String.valueOf(v);
    }

    private static <T> T read(Configuration conf, ConfigOption<T> option) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Option " + option.key() + ": " + e.getMessage(), e);
        }
    }

    private static String required(Configuration conf, ConfigOption<String> option) {
        String v = conf.getOptional(option).map(String::trim).orElse("");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("Missing required option --" + option.key() + ": " + text(option));
        }
        return v;
    }

    private static String nonBlank(Configuration conf, ConfigOption<String> option) {
        String v = read(conf, option).trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("Option --" + option.key() + " must not be empty");
        }
        return v;
    }

    private static void positive(Configuration conf, ConfigOption<Duration> option, boolean zeroAllowed) {
        Duration d = read(conf, option);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(
                    "Option --" + option.key() + " must be " + (zeroAllowed ? "zero or " : "") + "positive, is " + d);
        }
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("Cannot read the config file " + file.toAbsolutePath());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
                Map<String, String> out = new LinkedHashMap<>();
                p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
                return out;
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                Map<String, Object> yaml = YamlParserUtils.loadYamlFile(new File(file.toString()));
                Map<String, String> out = new LinkedHashMap<>();
                flatten("", yaml, out);
                return out;
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot parse the config file " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("Config file " + file + " must end in .yaml, .yml or .properties");
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", (Map<String, Object>) nested, out);
            } else {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }
}
