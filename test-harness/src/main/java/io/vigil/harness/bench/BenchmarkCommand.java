package io.vigil.harness.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark}: the job's scoring throughput in a Flink MiniCluster beside a pass-through job,
 * everything (broker, clusters, model) in this JVM. Lives beside the benchmark it drives rather than in
 * {@code cli/}, so the bench package is self-contained.
 */
@Command(
        name = "benchmark",
        abbreviateSynopsis = true,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures Vigil's scoring throughput (events/s) beside a pass-through job, then latency at a steady load:"
                    + " a Kafka topic pre-filled with a generated workload, a model trained for it, each job variant run"
                    + " --repeats times, interleaved, on a fresh MiniCluster or on the local standalone cluster"
                    + " (--target), then each unbounded at --latency-load of its maximum. Throughput is readings"
                    + " through the job's keyed task per second, read from its metrics; latency is from a reading's"
                    + " arrival in Kafka to its output's (alerts, for the Vigil jobs that write only alerts).",
            "Writes a Markdown report to --output and JSON beside it. Run with OMP_NUM_THREADS=1. Takes minutes."
        })
public final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--stream",
            description = "The workload and pipeline measured: sensors (generated readings, the sensor model) or"
                    + " transactions (the harness's generated card transactions of --keys accounts over --days, seeded;"
                    + " a transaction model trained with train-transactions' defaults on their fraud-free first days;"
                    + " variants tx-passthrough and tx-vigil; throughput only, --latency-load 0)."
                    + " Default: ${DEFAULT-VALUE}.")
    private String stream = BenchmarkStream.SENSORS.cliName();

    @Option(
            names = "--keys",
            description = "Entities (keys) in the workload: sensors, or accounts with --stream transactions."
                    + " Default: ${DEFAULT-VALUE}.")
    private int keys = BenchmarkSettings.DEFAULT_KEYS;

    @Option(names = "--events-per-key", description = "Readings per key (sensors). Default: ${DEFAULT-VALUE}.")
    private int eventsPerKey = BenchmarkSettings.DEFAULT_EVENTS_PER_KEY;

    @Option(
            names = "--days",
            description = "Days of generated transactions (--stream transactions; about 3 a day per account)."
                    + " Default: ${DEFAULT-VALUE}.")
    private int days = BenchmarkSettings.DEFAULT_DAYS;

    @Option(names = "--channels", description = "Values per reading. Default: ${DEFAULT-VALUE}.")
    private int channels = BenchmarkSettings.DEFAULT_CHANNELS;

    @Option(names = "--parallelism", description = "Job parallelism. Default: ${DEFAULT-VALUE}.")
    private int parallelism = BenchmarkSettings.DEFAULT_PARALLELISM;

    @Option(
            names = "--repeats",
            description = "Runs per variant, interleaved; the median is reported." + " Default: ${DEFAULT-VALUE}.")
    private int repeats = BenchmarkSettings.DEFAULT_REPEATS;

    @Option(
            names = "--variants",
            split = ",",
            description = "Job variants, in run order: passthrough (no models, one record per reading), vigil (the"
                    + " job as it runs by default: alerts only), vigil-scores (with the per-event scores stream),"
                    + " vigil-dl4j, naive (one DL4J call per event); with --stream transactions tx-passthrough (the"
                    + " transaction pipeline's source, decoding, keyBy(account) and sink, no features, no models) and"
                    + " tx-vigil (its transaction pipeline as it runs by default: alerts only). Default: all of the"
                    + " stream's.")
    private List<String> variants;

    @Option(
            names = "--naive-events",
            description = "Readings the naive variant (one DL4J call per event) reads: the first"
                    + " naive-events / events-per-key keys, from a smaller topic. Default: ${DEFAULT-VALUE}.")
    private int naiveEvents = BenchmarkSettings.DEFAULT_NAIVE_EVENTS;

    @Option(
            names = "--checkpoint-interval",
            description = "Checkpoint interval of every job (exactly-once sinks commit on checkpoints), e.g. 2s."
                    + " Default: 2s.")
    private String checkpointInterval = "2s";

    @Option(
            names = "--job-option",
            paramLabel = "KEY=VALUE",
            description = "A job option for every variant (repeatable), e.g. scoring.max-batch=128. Default:"
                    + " watermark.idle-timeout=1h (see the report).")
    private Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(
            names = "--target",
            description = "Where the jobs run: minicluster (one per job, in this JVM, beside an"
                    + " in-process broker) or standalone (deploy/local's broker, JobManager and two TaskManagers, started and"
                    + " stopped by the benchmark; jobs submitted with the shaded job jar). Default: ${DEFAULT-VALUE}.")
    private String target = "minicluster";

    @Option(
            names = "--latency-load",
            description = "After the throughput runs, run each variant unbounded at this"
                    + " fraction of its median events/s and measure latency; 0 skips it. Default: ${DEFAULT-VALUE}.")
    private double latencyLoad = 0.5;

    @Option(
            names = "--latency-rate",
            description = "Run the latency phase at this many readings/s instead of"
                    + " --latency-load times each variant's median: e.g. a soak at 80%% of the median of an earlier run of the"
                    + " same workload (a single throughput run is a cold one). 0: use --latency-load. Default: 0.")
    private double latencyRate = 0;

    @Option(
            names = "--latency-settle",
            description = "Paced time before latency is measured: a freshly submitted"
                    + " job is still compiling its code (JIT) for its first minute or two, and latency measured then is the"
                    + " warm-up's. Default: 2min.")
    private String latencySettle = "2min";

    @Option(names = "--latency-time", description = "Measured time of each latency run. Default: 30s.")
    private String latencyTime = "30s";

    @Option(names = "--output", description = "Markdown report; the JSON goes beside it. Default: ${DEFAULT-VALUE}.")
    private Path output = BenchmarkSettings.DEFAULT_OUTPUT;

    @Override
    public Integer call() throws Exception {
        BenchmarkSettings settings = settings();
        ThroughputBenchmark.LatencyPlan latency = latencyPlan();
        if (settings.stream() == BenchmarkStream.TRANSACTIONS && latency.runs()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--stream transactions measures throughput only (the latency phase's paced producer writes"
                            + " readings): add --latency-load 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        // the subcommand's parse result holds the whole command line, subcommand name included
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        BenchmarkReport report =
                ThroughputBenchmark.run(settings, deployment(), latency, ThroughputBenchmark.commandLine(args), out);
        out.println();
        out.print(report.toMarkdown());
        out.println();
        out.println("report written to " + settings.output().toAbsolutePath() + " and "
                + settings.jsonOutput().toAbsolutePath());
        return 0;
    }

    /** The validated settings, or a usage error (exit 2) naming the option. */
    BenchmarkSettings settings() {
        try {
            BenchmarkStream workload = BenchmarkStream.parse(stream);
            List<JobVariant> parsed = variants == null
                    ? workload.variants()
                    : variants.stream().map(JobVariant::parse).toList();
            BenchmarkSettings d = BenchmarkSettings.defaults();
            Map<String, String> options = new LinkedHashMap<>(BenchmarkSettings.DEFAULT_JOB_OPTIONS);
            options.putAll(jobOptions);
            return new BenchmarkSettings(
                    keys,
                    eventsPerKey,
                    channels,
                    d.partitions(),
                    parallelism,
                    repeats,
                    parsed,
                    naiveEvents,
                    duration(checkpointInterval),
                    options,
                    d.historyEventsPerKey(),
                    d.trainingEpochs(),
                    d.seed(),
                    output,
                    workload,
                    days);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    ThroughputBenchmark.Deployment deployment() {
        return switch (target.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "minicluster" -> ThroughputBenchmark.Deployment.MINICLUSTER;
            case "standalone" -> ThroughputBenchmark.Deployment.STANDALONE;
            default ->
                throw new ParameterException(
                        spec.commandLine(), "--target must be minicluster or standalone, got '" + target + "'");
        };
    }

    ThroughputBenchmark.LatencyPlan latencyPlan() {
        try {
            Duration settle = duration("--latency-settle", latencySettle);
            Duration time = duration("--latency-time", latencyTime);
            ThroughputBenchmark.LatencyPlan plan =
                    new ThroughputBenchmark.LatencyPlan(latencyLoad, latencyRate, settle, time);
            if (plan.runs() && time.toMillis() < 1000) {
                throw new IllegalArgumentException("--latency-time must be at least 1s, got " + latencyTime);
            }
            return plan;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** {@code 2s}, {@code 500ms}, {@code 1min}, or ISO-8601 ({@code PT2S}). */
    static Duration duration(String text) {
        return duration("--checkpoint-interval", text);
    }

    static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("min")) {
                return Duration.ofMinutes(
                        Long.parseLong(t.substring(0, t.length() - 3).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(
                        Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a duration like 2s, 500ms or 1min");
    }
}
