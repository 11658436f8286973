package io.vigil.harness.bench;

import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.metrics.VigilMetrics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs the benchmark compares. Each reads a pre-filled topic from the earliest offset to the end
 * offsets seen at its start. The pass-through writes one record per reading to {@code topic.scores};
 * the Vigil jobs run as in production, writing alerts only, except {@code vigil-scores}, which also
 * writes the optional stream of one score per scored event. Every variant's throughput is the same
 * measure: readings through its keyed task per second ({@link #progressMetric}).
 */
public enum JobVariant {

    /** {@link PassThroughJob}: source, decode, watermarks, keyBy, encode, exactly-once sink; no models. */
    PASSTHROUGH(
            "passthrough",
            "no models: decode + keyBy + encode one EventScore per reading + exactly-once sink",
            Map.of(),
            true),
    /** The real pipeline as it runs by default: plain-Java forward pass, default batch, alerts only. */
    VIGIL(
            "vigil",
            "the real job as it runs by default (VigilJob.wireKafka): native engine, both models, alerts only",
            Map.of(VigilOptions.ENGINE.key(), "native"),
            false),
    /** The same with the optional per-event scores stream on: what that stream costs. */
    VIGIL_SCORES(
            "vigil-scores",
            "the real job with the optional stream of one score per scored event on (topic.scores)",
            Map.of(VigilOptions.ENGINE.key(), "native"),
            true),
    /** The real pipeline scoring with DL4J itself, batched across keys. */
    VIGIL_DL4J(
            "vigil-dl4j",
            "the real job, DL4J engine batched across keys (both models), alerts only",
            Map.of(VigilOptions.ENGINE.key(), "dl4j"),
            false),
    /** The real pipeline with one DL4J call per event: the baseline the design warns about. */
    NAIVE(
            "naive",
            "the real job, DL4J engine, scoring.max-batch=1 (one DL4J call per event), alerts only",
            Map.of(VigilOptions.ENGINE.key(), "dl4j", VigilOptions.MAX_BATCH.key(), "1"),
            false),
    /**
     * {@link PassThroughJob#wireTransactions}: the transaction pipeline's source, decode, watermarks,
     * keyBy(account), encode, exactly-once sink; no features, no models.
     */
    TX_PASSTHROUGH(
            "tx-passthrough",
            "no features, no models: the transaction pipeline's decode + keyBy(account) + encode one EventScore per"
                    + " transaction + exactly-once sink",
            Map.of(),
            true),
    /** The job's transaction pipeline as it runs by default: account features, both models, alerts only. */
    TX_VIGIL(
            "tx-vigil",
            "the real job's transaction pipeline as it runs by default (VigilJob.wireKafka, streams=transactions):"
                    + " account features, native engine, both models, alerts only",
            Map.of(VigilOptions.ENGINE.key(), "native"),
            false);

    private final String cliName;
    private final String description;
    private final Map<String, String> settings;
    private final boolean writesScores;

    JobVariant(String cliName, String description, Map<String, String> settings, boolean writesScores) {
        this.cliName = cliName;
        this.description = description;
        this.settings = settings;
        this.writesScores = writesScores;
    }

    /** The name on the command line and in reports. */
    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Job options this variant sets over the common ones. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Whether the variant scores with the models (and so emits only once a key's window is full). */
    public boolean scores() {
        return this != PASSTHROUGH && this != TX_PASSTHROUGH;
    }

    /** The workload the variant reads: readings, or transactions ({@code tx-*}). */
    public BenchmarkStream stream() {
        return this == TX_PASSTHROUGH || this == TX_VIGIL ? BenchmarkStream.TRANSACTIONS : BenchmarkStream.SENSORS;
    }

    /**
     * Whether the variant writes one record per event to {@code topic.scores} (the pass-through per reading,
     * {@code vigil-scores} per scored event); the others write alerts only.
     */
    public boolean writesScores() {
        return writesScores;
    }

    /** The job vertex whose progress is measured: the keyed task (scoring, or the pass-through's encoding). */
    public String progressVertex() {
        return switch (this) {
            case PASSTHROUGH -> PassThroughJob.ENCODE;
            case TX_PASSTHROUGH -> PassThroughJob.ENCODE_TRANSACTIONS;
            case TX_VIGIL -> "score transactions (LSTM";
            default -> "score (LSTM";
        };
    }

    /**
     * The metric counting readings through that task: the pass-through's task input ({@code numRecordsIn}),
     * the scoring operator's {@code vigil.events_scored_total} (a reading counts once scored, after the watermark
     * released it, warm-up readings included). Both reach the number of input readings at the end.
     */
    public Predicate<String> progressMetric() {
        return !scores()
                ? "numRecordsIn"::equals
                : id -> id.endsWith("." + VigilMetrics.GROUP + "." + VigilMetrics.EVENTS_SCORED);
    }

    /** Whether the variant runs on the workload's smaller pre-filled topic (it is too slow for the full one). */
    public boolean usesSmallInput() {
        return this == NAIVE;
    }

    /** Builds the job into {@code env} without executing it. */
    public void wire(StreamExecutionEnvironment env, JobConfig config) {
        if (this == PASSTHROUGH) {
            PassThroughJob.wireKafka(env, config);
        } else if (this == TX_PASSTHROUGH) {
            PassThroughJob.wireTransactions(env, config);
        } else {
            VigilJob.wireKafka(env, config);
        }
    }

    /** Parses a command-line name ({@code passthrough}, {@code vigil}, {@code vigil-dl4j}, {@code naive}). */
    public static JobVariant parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (JobVariant v : values()) {
            if (v.cliName.equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("Unknown variant '" + name + "': use " + names());
    }

    /** All command-line names, comma-separated, in the order runs are interleaved. */
    public static String names() {
        return Arrays.stream(values()).map(JobVariant::cliName).collect(Collectors.joining(","));
    }
}
