package io.vigil.job.config;

import io.vigil.kafka.KafkaAccess;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every option of the Vigil job, declared once with its key, default and description. Options are
 * set as {@code --key value} arguments or in a file given with {@code --config}; see {@link JobConfig}.
 */
public final class VigilOptions {

    private VigilOptions() {}

    // ---- Kafka ------------------------------------------------------------------------------

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port]. Required.");

    public static final ConfigOption<String> CLIENT_PROPERTIES_FILE = ConfigOptions.key("kafka.client-properties-file")
            .stringType()
            .noDefaultValue()
            .withDescription(KafkaAccess.FILE_OPTION_DESCRIPTION
                    + " Read at submission; a kafka.properties.<name> option wins over the file.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("kafka.group-id")
            .stringType()
            .defaultValue("vigil")
            .withDescription(
                    "Consumer group id for the input and model-updates topics (offsets are also in checkpoints).");

    public static final ConfigOption<String> STARTING_OFFSETS = ConfigOptions.key("kafka.starting-offsets")
            .stringType()
            .defaultValue("committed")
            .withDescription("Where a fresh start (no checkpoint) reads the input topic: earliest, latest, or committed"
                    + " (the group's committed offsets, falling back to earliest).");

    public static final ConfigOption<Boolean> STOP_AT_END = ConfigOptions.key("kafka.stop-at-end")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop once the input topic's end offsets (as of the start) are read: for replays of a"
                    + " corpus and benchmarks. Off for a normal, never-ending job.");

    public static final ConfigOption<String> TOPIC_READINGS = ConfigOptions.key("topic.readings")
            .stringType()
            .defaultValue("vigil-readings")
            .withDescription("Input topic of SensorReading records (Avro single-object encoding), keyed by entity id.");

    public static final ConfigOption<String> TOPIC_ALERTS = ConfigOptions.key("topic.alerts")
            .stringType()
            .defaultValue("vigil-alerts")
            .withDescription("Output topic of Alert records (OPEN, UPDATE, RESOLVED), keyed by entity id.");

    public static final ConfigOption<String> TOPIC_SCORES = ConfigOptions.key("topic.scores")
            .stringType()
            .defaultValue("")
            .withDescription("Optional output topic of one EventScore per scored event; empty disables it.");

    public static final ConfigOption<String> TOPIC_DEAD_LETTER = ConfigOptions.key("topic.dead-letter")
            .stringType()
            .defaultValue("vigil-dead-letter")
            .withDescription("Records that cannot be scored, as the original bytes with the reason in headers.");

    public static final ConfigOption<String> TOPIC_MODEL_UPDATES = ConfigOptions.key("topic.model-updates")
            .stringType()
            .defaultValue("vigil-model-updates")
            .withDescription(
                    "Compacted topic of ModelAnnouncement records; a new version is swapped in without a restart.");

    public static final ConfigOption<String> DELIVERY_GUARANTEE = ConfigOptions.key("sink.delivery-guarantee")
            .stringType()
            .defaultValue("exactly-once")
            .withDescription("exactly-once (Kafka transactions committed on checkpoint; read alerts with"
                    + " isolation.level=read_committed) or at-least-once.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("sink.transactional-id-prefix")
            .stringType()
            .defaultValue("vigil")
            .withDescription("Prefix of the sinks' Kafka transactional ids; must be unique per running job.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("sink.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Kafka transaction timeout; must exceed the checkpoint interval and stay below the"
                    + " broker's transaction.max.timeout.ms (15 min by default).");

    // ---- model ------------------------------------------------------------------------------

    public static final ConfigOption<String> MODEL_STORE = ConfigOptions.key("model.store")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Model store root: a directory or any Flink file system URI (file:///..., s3://...). Required.");

    public static final ConfigOption<String> MODEL_ID = ConfigOptions.key("model.id")
            .stringType()
            .noDefaultValue()
            .withDescription("Which model in the store to score with. Required with streams sensors (the default).");

    public static final ConfigOption<String> MODEL_VERSION = ConfigOptions.key("model.version")
            .stringType()
            .defaultValue("latest")
            .withDescription("Version to start with; 'latest' reads the store's LATEST pointer at submission.");

    // ---- event time -------------------------------------------------------------------------

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("watermark.out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofMillis(20))
            .withDescription(
                    "How far (in event time) a reading may arrive behind a later reading of its Kafka partition"
                            + " and still be scored in order. Each reading waits until its partition (not the slowest one) has"
                            + " shown a reading this much newer, or the watermark passes it; one that arrives after its key"
                            + " scored a later reading goes to the dead-letter topic.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOptions.key("watermark.idle-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription(
                    "A partition silent this long releases its held readings and stops holding back the others.");

    public static final ConfigOption<Duration> ALIGNMENT_MAX_DRIFT = ConfigOptions.key("watermark.alignment.max-drift")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Pause reading a partition whose watermark runs this far ahead of the slowest one's"
                    + " (Flink's watermark alignment), which bounds the readings held for a lagging partition;"
                    + " 0 turns it off.");

    public static final ConfigOption<String> SCHEMA_STORE = ConfigOptions.key("schema.store")
            .stringType()
            .defaultValue("")
            .withDescription("A directory of reading schemas (.avsc) newer than the job's, readable by every"
                    + " TaskManager: a producer that moves to a newer schema (fields added with defaults) puts it"
                    + " there first, and the running job reads its readings. Empty: only the job's own versions.");

    public static final ConfigOption<Duration> MAX_FUTURE = ConfigOptions.key("validation.max-future")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("Readings with an event time this far ahead of the wall clock are dead-lettered.");

    // ---- scoring ----------------------------------------------------------------------------

    public static final ConfigOption<String> ENGINE = ConfigOptions.key("scoring.engine")
            .stringType()
            .defaultValue("native")
            .withDescription("native (plain-Java forward pass over the DL4J weights) or dl4j (DL4J itself, batched).");

    public static final ConfigOption<Integer> MAX_BATCH = ConfigOptions.key("scoring.max-batch")
            .intType()
            .defaultValue(256)
            .withDescription("Most keys scored in one inference call.");

    public static final ConfigOption<Double> THRESHOLD = ConfigOptions.key("scoring.threshold")
            .doubleType()
            .noDefaultValue()
            .withDescription("Alert threshold as a score in (0, 1): one event scoring this opens an alert (0.375 is a"
                    + " surprise of 3, one event in a thousand of the key's normal data); default: the bundle's.");

    public static final ConfigOption<Integer> WARMUP_EVENTS = ConfigOptions.key("scoring.warmup-events")
            .intType()
            .noDefaultValue()
            .withDescription("Events after a key's first full window before it may alert; default: the bundle's.");

    public static final ConfigOption<Duration> STATE_TTL = ConfigOptions.key("scoring.state-ttl")
            .durationType()
            .defaultValue(Duration.ofHours(6))
            .withDescription("A key silent this long in event time has its state dropped (an open alert is resolved)."
                    + " Cleanup happens between 1x and 1.25x this duration.");

    // ---- alerts -----------------------------------------------------------------------------

    public static final ConfigOption<Integer> RESOLVE_AFTER = ConfigOptions.key("alert.resolve-after")
            .intType()
            .noDefaultValue()
            .withDescription("An open alert resolves after this many consecutive events back to normal; default: the"
                    + " bundle's.");

    public static final ConfigOption<Integer> MAX_OPEN = ConfigOptions.key("alert.max-open")
            .intType()
            .noDefaultValue()
            .withDescription("An alert still open after this many events is resolved and what the key does now is"
                    + " taken as its new normal; default: the bundle's.");

    public static final ConfigOption<Duration> COOLDOWN = ConfigOptions.key("alert.cooldown")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("After a resolve, no new alert opens for the key for this long (event time).");

    // ---- streams: sensors, transactions or both ------------------------------------------------

    public static final ConfigOption<String> STREAMS = ConfigOptions.key("streams")
            .stringType()
            .defaultValue("sensors")
            .withDescription("Which pipelines the job runs: sensors, transactions, or sensors,transactions. Each has"
                    + " its own topics and model; model.store, the model-updates topic and the Kafka, sink, watermark,"
                    + " scoring and alert options are shared.");

    public static final ConfigOption<String> TX_TOPIC_INPUT = ConfigOptions.key("transactions.topic.input")
            .stringType()
            .defaultValue("vigil-transactions")
            .withDescription("Input topic of Transaction records (Avro single-object encoding), keyed by account.");

    public static final ConfigOption<String> TX_TOPIC_ALERTS = ConfigOptions.key("transactions.topic.alerts")
            .stringType()
            .defaultValue("vigil-transaction-alerts")
            .withDescription("Output topic of the transaction pipeline's Alert records (with the transaction id and"
                    + " the explanation in words), keyed by account.");

    public static final ConfigOption<String> TX_TOPIC_SCORES = ConfigOptions.key("transactions.topic.scores")
            .stringType()
            .defaultValue("")
            .withDescription("Optional output topic of one EventScore per scored transaction; empty disables it.");

    public static final ConfigOption<String> TX_TOPIC_DEAD_LETTER = ConfigOptions.key("transactions.topic.dead-letter")
            .stringType()
            .defaultValue("vigil-transaction-dead-letter")
            .withDescription("Transactions and confirmed labels that cannot be used, as the original bytes with the"
                    + " reason in headers.");

    public static final ConfigOption<String> TX_TOPIC_LABELS = ConfigOptions.key("transactions.topic.labels")
            .stringType()
            .defaultValue("")
            .withDescription("Optional input topic of ConfirmedLabel records (the fraud team's verdicts), keyed by"
                    + " merchant: feeds the merchant-risk features a model trained with --merchant-risk needs; empty:"
                    + " none (such a model is then refused).");

    public static final ConfigOption<String> TX_MODEL_ID = ConfigOptions.key("transactions.model.id")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Which transaction model in the store to score with. Required with streams" + " transactions.");

    public static final ConfigOption<String> TX_MODEL_VERSION = ConfigOptions.key("transactions.model.version")
            .stringType()
            .defaultValue("latest")
            .withDescription("Transaction model version to start with; 'latest' reads the store's LATEST pointer at"
                    + " submission.");

    /** All options, for validation of unknown keys and for {@code --help}. */
    public static final List<ConfigOption<?>> ALL = List.of(
            BOOTSTRAP_SERVERS,
            CLIENT_PROPERTIES_FILE,
            GROUP_ID,
            STARTING_OFFSETS,
            STOP_AT_END,
            TOPIC_READINGS,
            TOPIC_ALERTS,
            TOPIC_SCORES,
            TOPIC_DEAD_LETTER,
            TOPIC_MODEL_UPDATES,
            DELIVERY_GUARANTEE,
            TRANSACTIONAL_ID_PREFIX,
            TRANSACTION_TIMEOUT,
            MODEL_STORE,
            MODEL_ID,
            MODEL_VERSION,
            OUT_OF_ORDERNESS,
            IDLE_TIMEOUT,
            ALIGNMENT_MAX_DRIFT,
            MAX_FUTURE,
            SCHEMA_STORE,
            ENGINE,
            MAX_BATCH,
            THRESHOLD,
            WARMUP_EVENTS,
            STATE_TTL,
            RESOLVE_AFTER,
            MAX_OPEN,
            COOLDOWN,
            STREAMS,
            TX_TOPIC_INPUT,
            TX_TOPIC_ALERTS,
            TX_TOPIC_SCORES,
            TX_TOPIC_DEAD_LETTER,
            TX_TOPIC_LABELS,
            TX_MODEL_ID,
            TX_MODEL_VERSION);

    /** Keys with this prefix are passed to every Kafka client unchanged (security settings and the like). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";
}
