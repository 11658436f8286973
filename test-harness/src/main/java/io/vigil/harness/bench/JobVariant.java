package io.vigil.harness.bench;

import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The jobs the benchmark compares. Each reads a pre-filled topic from the earliest offset to the end
 * offsets seen at its start and writes one record per (scored) event to {@code topic.scores}.
 */
public enum JobVariant {

    /** {@link PassThroughJob}: source, decode, watermarks, keyBy, encode, exactly-once sink; no models. */
    PASSTHROUGH("passthrough", "no models: decode + keyBy + encode one EventScore + exactly-once sink", Map.of()),
    /** The real pipeline, plain-Java forward pass, default batch. */
    VIGIL("vigil", "the real job (VigilJob.wireKafka), native engine, default batch (both models)",
            Map.of("scoring.engine", "native")),
    /** The real pipeline scoring with DL4J itself, batched across keys. */
    VIGIL_DL4J("vigil-dl4j", "the real job, DL4J engine batched across keys (both models)",
            Map.of("scoring.engine", "dl4j")),
    /** The real pipeline with one DL4J call per event: the baseline the design warns about. */
    NAIVE("naive", "the real job, DL4J engine, scoring.max-batch=1 (one DL4J call per event)",
            Map.of("scoring.engine", "dl4j", "scoring.max-batch", "1"));

    private final String cliName;
    private final String description;
    private final Map<String, String> settings;

    JobVariant(String cliName, String description, Map<String, String> settings) {
        this.cliName = cliName;
        this.description = description;
        this.settings = settings;
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
        return this != PASSTHROUGH;
    }

    /** Whether the variant runs on the workload's smaller pre-filled topic (it is too slow for the full one). */
    public boolean usesSmallInput() {
        return this == NAIVE;
    }

    /**
     * Whether the job ends by itself once its bounded input is read. The real job does not: besides the
     * readings it reads the model-updates topic, which {@code kafka.stop-at-end} leaves unbounded.
     */
    public boolean endsAtEndOfInput() {
        return this == PASSTHROUGH;
    }

    /** Builds the job into {@code env} without executing it. */
    public void wire(StreamExecutionEnvironment env, JobConfig config) {
        if (this == PASSTHROUGH) {
            PassThroughJob.wireKafka(env, config);
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
