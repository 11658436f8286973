package io.vigil.harness.bench;

import io.vigil.job.config.VigilOptions;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;

/**
 * What one throughput benchmark runs: the workload's size, the job variants, how often, and where the
 * report goes. Validated on construction with messages that name the command-line option.
 *
 * @param keys entities in the workload
 * @param eventsPerKey readings per entity
 * @param channels values per reading
 * @param partitions partitions of the input topics (and of each output topic)
 * @param parallelism job parallelism (slots of the MiniCluster's task manager)
 * @param repeats runs of each variant, interleaved
 * @param variants which jobs, in the order they are interleaved
 * @param naiveEvents budget of the naive variant: it reads the first {@code naiveEvents / eventsPerKey} keys' readings
 * @param checkpointInterval the same for every job (exactly-once sinks commit on checkpoints)
 * @param jobOptions further job options for every variant (a variant's own settings still win)
 * @param historyEventsPerKey normal history per entity the model is trained on
 * @param trainingEpochs most epochs per network (model quality does not matter for throughput)
 * @param seed of the generated stream (the history uses another seed, same entity behaviour)
 * @param output the Markdown report; the JSON goes beside it
 * @param stream the workload: sensor readings ({@code keys x eventsPerKey}) or transactions ({@code keys}
 *     accounts over {@code days}); every variant must be one of the stream's
 * @param days days of generated transactions (the transaction workload only)
 */
public record BenchmarkSettings(
        int keys,
        int eventsPerKey,
        int channels,
        int partitions,
        int parallelism,
        int repeats,
        List<JobVariant> variants,
        int naiveEvents,
        Duration checkpointInterval,
        Map<String, String> jobOptions,
        int historyEventsPerKey,
        int trainingEpochs,
        long seed,
        Path output,
        BenchmarkStream stream,
        int days) {

    public static final int DEFAULT_KEYS = 1_000;
    public static final int DEFAULT_EVENTS_PER_KEY = 300;
    public static final int DEFAULT_CHANNELS = 8;
    public static final int DEFAULT_PARTITIONS = 4;
    public static final int DEFAULT_PARALLELISM = 2;
    public static final int DEFAULT_REPEATS = 3;
    public static final List<JobVariant> DEFAULT_VARIANTS = BenchmarkStream.SENSORS.variants();
    /** Days of generated transactions: with the generator's 14 fraud-free days to train on first. */
    public static final int DEFAULT_DAYS = 60;

    public static final int DEFAULT_NAIVE_EVENTS = 20_000;
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    /**
     * A pre-filled topic has no silent partitions, so idleness can only be misread from backpressure; and a
     * source that is idle when its bounded input ends never delivers its final watermark (Flink drops
     * watermarks of an output announced idle), which leaves the real job's last readings unscored.
     */
    public static final Map<String, String> DEFAULT_JOB_OPTIONS = Map.of(VigilOptions.IDLE_TIMEOUT.key(), "1h");
    /** Job options the benchmark sets itself per run. */
    public static final Set<String> RESERVED_JOB_OPTIONS = Set.of(
            VigilOptions.BOOTSTRAP_SERVERS.key(),
            VigilOptions.GROUP_ID.key(),
            VigilOptions.STARTING_OFFSETS.key(),
            VigilOptions.STOP_AT_END.key(),
            VigilOptions.TOPIC_READINGS.key(),
            VigilOptions.TOPIC_SCORES.key(),
            VigilOptions.TOPIC_ALERTS.key(),
            VigilOptions.TOPIC_DEAD_LETTER.key(),
            VigilOptions.TOPIC_MODEL_UPDATES.key(),
            VigilOptions.TRANSACTIONAL_ID_PREFIX.key(),
            VigilOptions.MODEL_STORE.key(),
            VigilOptions.MODEL_ID.key(),
            VigilOptions.MODEL_VERSION.key(),
            VigilOptions.STREAMS.key(),
            VigilOptions.TX_TOPIC_INPUT.key(),
            VigilOptions.TX_TOPIC_ALERTS.key(),
            VigilOptions.TX_TOPIC_SCORES.key(),
            VigilOptions.TX_TOPIC_DEAD_LETTER.key(),
            VigilOptions.TX_MODEL_ID.key(),
            VigilOptions.TX_MODEL_VERSION.key(),
            CheckpointingOptions.CHECKPOINTING_INTERVAL.key());

    public static final int DEFAULT_HISTORY_EVENTS_PER_KEY = 400;
    public static final int DEFAULT_TRAINING_EPOCHS = 2;
    public static final long DEFAULT_SEED = 7;
    public static final Path DEFAULT_OUTPUT = Path.of("target", "benchmark", "throughput.md");

    /** The model's window: a key emits its first score at its {@code WINDOW}-th event. */
    public static final int WINDOW = TrainingConfig.DEFAULT_WINDOW_LENGTH;
    /** Per key, the trainer validates and calibrates on the newest fifth: a window and the scorer's warm-up, and more. */
    public static final int MIN_HISTORY_EVENTS_PER_KEY = 400;

    public BenchmarkSettings {
        check(keys >= 1 && keys <= 1_000_000, "--keys must be in [1, 1000000], got " + keys);
        check(
                eventsPerKey > WINDOW && eventsPerKey <= 1_000_000,
                "--events-per-key must be in [" + (WINDOW + 1)
                        + ", 1000000] (the model's window is " + WINDOW
                        + " events; a key needs at least 2 scored events),"
                        + " got " + eventsPerKey);
        check(channels >= 2 && channels <= 64, "--channels must be in [2, 64], got " + channels);
        check(partitions >= 1 && partitions <= 64, "partitions must be in [1, 64], got " + partitions);
        check(parallelism >= 1 && parallelism <= 64, "--parallelism must be in [1, 64], got " + parallelism);
        check(repeats >= 1 && repeats <= 100, "--repeats must be in [1, 100], got " + repeats);
        Objects.requireNonNull(variants, "variants are required");
        check(!variants.isEmpty(), "--variants needs at least one of " + JobVariant.names());
        check(new HashSet<>(variants).size() == variants.size(), "--variants lists a variant twice: " + variants);
        variants = List.copyOf(variants);
        Objects.requireNonNull(stream, "stream is required");
        for (JobVariant v : variants) {
            check(
                    v.stream() == stream,
                    "--variants " + v.cliName() + " runs on the " + v.stream().cliName() + " workload, not on --stream "
                            + stream.cliName() + "'s; its variants are "
                            + stream.variants().stream()
                                    .map(JobVariant::cliName)
                                    .toList());
        }
        check(days >= 1 && days <= 3650, "--days must be in [1, 3650], got " + days);
        if (variants.contains(JobVariant.NAIVE)) {
            check(
                    naiveEvents >= eventsPerKey,
                    "--naive-events (" + naiveEvents + ") must be at least --events-per-key (" + eventsPerKey
                            + "): the naive run reads whole keys, the first naive-events / events-per-key of them");
        }
        check(naiveEvents >= 0, "--naive-events must not be negative, got " + naiveEvents);
        Objects.requireNonNull(checkpointInterval, "checkpoint interval is required");
        check(
                checkpointInterval.toMillis() >= 100,
                "--checkpoint-interval must be at least 100 ms, got " + checkpointInterval);
        Objects.requireNonNull(jobOptions, "job options are required (may be empty)");
        for (String key : jobOptions.keySet()) {
            check(
                    !RESERVED_JOB_OPTIONS.contains(key),
                    "--job-option " + key + " is set by the benchmark itself"
                            + (key.equals("execution.checkpointing.interval") ? "; use --checkpoint-interval" : ""));
        }
        jobOptions = Collections.unmodifiableMap(new TreeMap<>(jobOptions));
        check(
                historyEventsPerKey >= MIN_HISTORY_EVENTS_PER_KEY,
                "history events per key must be at least "
                        + MIN_HISTORY_EVENTS_PER_KEY
                        + " (the validation fifth needs full windows and warm scores to calibrate on),"
                        + " got " + historyEventsPerKey);
        check(trainingEpochs >= 1, "training epochs must be at least 1, got " + trainingEpochs);
        Objects.requireNonNull(output, "--output is required");
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        check(name.endsWith(".md"), "--output must name a Markdown file (*.md), got " + output);
    }

    /** The defaults, as the command line has them. */
    public static BenchmarkSettings defaults() {
        return new BenchmarkSettings(
                DEFAULT_KEYS,
                DEFAULT_EVENTS_PER_KEY,
                DEFAULT_CHANNELS,
                DEFAULT_PARTITIONS,
                DEFAULT_PARALLELISM,
                DEFAULT_REPEATS,
                DEFAULT_VARIANTS,
                DEFAULT_NAIVE_EVENTS,
                DEFAULT_CHECKPOINT_INTERVAL,
                DEFAULT_JOB_OPTIONS,
                DEFAULT_HISTORY_EVENTS_PER_KEY,
                DEFAULT_TRAINING_EPOCHS,
                DEFAULT_SEED,
                DEFAULT_OUTPUT,
                BenchmarkStream.SENSORS,
                DEFAULT_DAYS);
    }

    /** Keys the naive variant reads (all their readings). */
    public int naiveKeys() {
        return variants.contains(JobVariant.NAIVE) ? Math.min(keys, naiveEvents / eventsPerKey) : 0;
    }

    /** The JSON report: {@code throughput.md} -> {@code throughput.json}. */
    public Path jsonOutput() {
        String name = output.getFileName().toString();
        return output.resolveSibling(name.substring(0, name.length() - ".md".length()) + ".json");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
