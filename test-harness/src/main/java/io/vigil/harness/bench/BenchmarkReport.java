package io.vigil.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of a benchmark: per variant the median events/s over its runs, the spread and the ratio to
 * the pass-through median of the same benchmark, plus resources, the context needed to judge and
 * reproduce it, and every run. Renders as Markdown (for docs/benchmarks.md) and JSON.
 */
public record BenchmarkReport(
        Context context, List<VariantSummary> variants, List<RunResult> runs, List<LatencyRun.Result> latency) {

    public BenchmarkReport {
        variants = List.copyOf(variants);
        runs = List.copyOf(runs);
        latency = List.copyOf(latency);
    }

    /** The same report with the latency runs added. */
    public BenchmarkReport withLatency(List<LatencyRun.Result> results) {
        return new BenchmarkReport(context, variants, runs, results);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where, when and how the benchmark ran. */
    public record Context(
            String date,
            String commandLine,
            List<String> reproduce,
            Machine machine,
            WorkloadInfo workload,
            String target,
            long checkpointIntervalMillis,
            Map<String, String> jobOptions,
            int repeats,
            double totalSeconds) {
        public Context {
            reproduce = List.copyOf(reproduce);
            jobOptions = Collections.unmodifiableMap(new TreeMap<>(jobOptions));
        }
    }

    /** The machine and JVM. */
    public record Machine(int cores, String cpuModel, String jvm, String os, long maxHeapBytes, String ompNumThreads) {}

    /** What was in Kafka and the model that scored it. */
    public record WorkloadInfo(
            int keys,
            int eventsPerKey,
            int channels,
            long events,
            int partitions,
            int anomalyWindows,
            int smallKeys,
            long smallEvents,
            int window,
            int lstmHidden,
            List<Integer> aeHidden,
            int maxEpochs,
            int historyEventsPerKey,
            double trainingSeconds,
            double fillSeconds) {

        /** Whether the workload is generated transactions (no fixed events per key) rather than readings. */
        public boolean transactions() {
            return eventsPerKey == 0;
        }

        public static WorkloadInfo of(Workload w) {
            BenchmarkModel m = w.model();
            return new WorkloadInfo(
                    w.keys(),
                    w.eventsPerKey(),
                    w.channels().size(),
                    w.events(),
                    w.partitions(),
                    w.anomalyWindows(),
                    w.smallKeys(),
                    w.smallEvents(),
                    m.window(),
                    m.lstmHidden(),
                    m.aeHidden(),
                    m.maxEpochs(),
                    m.historyEventsPerKey(),
                    m.trainingSeconds(),
                    w.fillSeconds());
        }
    }

    /**
     * One variant over its runs.
     *
     * @param ratioToPassthrough median / the pass-through's median, NaN when the pass-through did not run
     * @param cpuShareByRole each thread role's share of the process CPU over all the variant's runs
     */
    public record VariantSummary(
            String variant,
            String description,
            int runs,
            long inputEvents,
            long outputRecords,
            long alerts,
            double medianEventsPerSecond,
            double minEventsPerSecond,
            double maxEventsPerSecond,
            double ratioToPassthrough,
            double medianCoresUsed,
            double medianOtherCoresUsed,
            double medianRssBytes,
            double medianWallSeconds,
            double medianStartupSeconds,
            Map<String, Double> cpuShareByRole) {}

    /** Summarises {@code runs} per variant, in {@code order}. */
    public static BenchmarkReport of(Context context, List<JobVariant> order, List<RunResult> runs) {
        Map<String, List<RunResult>> byVariant = new LinkedHashMap<>();
        for (JobVariant v : order) {
            byVariant.put(v.cliName(), new ArrayList<>());
        }
        for (RunResult r : runs) {
            byVariant.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
        }
        // the pass-through over the same input as the variants (all of one stream)
        JobVariant passThrough =
                order.isEmpty() ? JobVariant.PASSTHROUGH : order.get(0).stream().passThrough();
        List<RunResult> base = byVariant.getOrDefault(passThrough.cliName(), List.of());
        double baseline = base.isEmpty() ? Double.NaN : ThroughputMath.median(values(base, RunResult::eventsPerSecond));
        List<VariantSummary> summaries = new ArrayList<>();
        for (JobVariant v : order) {
            List<RunResult> rs = byVariant.get(v.cliName());
            if (rs.isEmpty()) {
                continue;
            }
            List<Double> eps = values(rs, RunResult::eventsPerSecond);
            double median = ThroughputMath.median(eps);
            summaries.add(new VariantSummary(
                    v.cliName(),
                    v.description(),
                    rs.size(),
                    rs.get(0).inputEvents(),
                    rs.get(0).records(),
                    rs.get(0).alerts(),
                    median,
                    ThroughputMath.min(eps),
                    ThroughputMath.max(eps),
                    ThroughputMath.ratio(median, baseline),
                    ThroughputMath.median(values(rs, RunResult::coresUsed)),
                    ThroughputMath.median(values(rs, RunResult::otherCoresUsed)),
                    ThroughputMath.median(values(rs, r -> (double) r.rssBytes())),
                    ThroughputMath.median(values(rs, RunResult::wallSeconds)),
                    ThroughputMath.median(values(rs, RunResult::startupSeconds)),
                    cpuShares(rs)));
        }
        return new BenchmarkReport(context, summaries, List.copyOf(runs), List.of());
    }

    private interface Metric {
        double of(RunResult r);
    }

    private static List<Double> values(List<RunResult> runs, Metric m) {
        return runs.stream().map(m::of).toList();
    }

    private static Map<String, Double> cpuShares(List<RunResult> runs) {
        double total = runs.stream().mapToDouble(RunResult::cpuSeconds).sum();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String role : ThreadRoles.ORDER) {
            double s = runs.stream()
                    .mapToDouble(r -> r.cpuByRole().getOrDefault(role, 0.0))
                    .sum();
            if (s > 0) {
                seconds.put(role, total > 0 ? s / total : Double.NaN);
            }
        }
        return seconds;
    }

    private static void appendReadingWorkload(StringBuilder md, WorkloadInfo w) {
        md.append(String.format(
                Locale.ROOT,
                "- %,d keys x %,d readings = %,d readings of %d channels, %,d anomaly"
                        + " windows, in a %d-partition topic, all written (unpaced) before any job starts%s.%n",
                w.keys(),
                w.eventsPerKey(),
                w.events(),
                w.channels(),
                w.anomalyWindows(),
                w.partitions(),
                w.smallKeys() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; `naive` reads the first %,d keys' readings (%,d) from a second"
                                        + " topic of the same partitions",
                                w.smallKeys(),
                                w.smallEvents())));
        md.append(String.format(
                Locale.ROOT,
                "- Model: the production default architecture (window %d, LSTM hidden %d,"
                        + " autoencoder %s, one standardisation for all keys) trained for at most %d epochs on %d normal"
                        + " readings per key, of at most " + BenchmarkModel.TRAINING_KEYS + " keys (%.0f s): its"
                        + " quality does not matter for throughput, the forward pass costs the same.%n",
                w.window(),
                w.lstmHidden(),
                w.aeHidden(),
                w.maxEpochs(),
                w.historyEventsPerKey(),
                w.trainingSeconds()));
    }

    private static void appendTransactionWorkload(StringBuilder md, WorkloadInfo w) {
        md.append(String.format(
                Locale.ROOT,
                "- %,d card transactions of %,d accounts from the harness's generator (`generate-transactions`, seeded;"
                        + " %,d fraud incidents injected after its fraud-free first days), in a %d-partition topic keyed"
                        + " by account, all written (unpaced) before any job starts. In this report a \"reading\" is a"
                        + " transaction: events/s counts transactions through the variant's keyed task.%n",
                w.events(),
                w.keys(),
                w.anomalyWindows(),
                w.partitions()));
        md.append(String.format(
                Locale.ROOT,
                "- Model: the transaction model as `train-transactions` trains it by default (window %d of the %d"
                        + " account features, LSTM hidden %d, autoencoder %s, one standardisation for all accounts),"
                        + " trained for at most %d epochs on the fraud-free first days of at most "
                        + BenchmarkModel.TX_TRAINING_ACCOUNTS
                        + " accounts, %d transactions per account on average (%.0f s): its quality does not matter for"
                        + " throughput, the features and forward passes cost the same.%n",
                w.window(),
                w.channels(),
                w.lstmHidden(),
                w.aeHidden(),
                w.maxEpochs(),
                w.historyEventsPerKey(),
                w.trainingSeconds()));
    }

    /** The report as Markdown: the table first, then how to read it, the context, the runs and how to reproduce. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        Machine m = context.machine();
        WorkloadInfo w = context.workload();
        boolean miniCluster = context.target().startsWith("Flink MiniCluster");
        md.append(
                miniCluster
                        ? "# Vigil scoring throughput in a Flink MiniCluster\n\n"
                        : "# Vigil scoring throughput on the local standalone cluster\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Measured %s on %d cores (%s), %s, %s; max heap %s, OMP_NUM_THREADS=%s." + " %s Total %.0f s.%n%n",
                context.date(),
                m.cores(),
                m.cpuModel(),
                m.jvm(),
                m.os(),
                megabytes(m.maxHeapBytes()),
                m.ompNumThreads(),
                miniCluster
                        ? "One JVM holds the Kafka broker, a fresh MiniCluster per job and the benchmark's consumer."
                        : "The Kafka broker, the JobManager and each TaskManager are their own JVMs; the benchmark's"
                                + " producer and consumer another.",
                context.totalSeconds()));
        md.append("| variant | events/s (median) | min - max | vs passthrough | cores used | RSS | wall | start-up |"
                + " others' cores |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantSummary v : variants) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f - %,.0f | %s | %.2f | %s | %.1f s | %.1f s | %s |%n",
                    v.variant(),
                    v.medianEventsPerSecond(),
                    v.minEventsPerSecond(),
                    v.maxEventsPerSecond(),
                    Double.isNaN(v.ratioToPassthrough())
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", v.ratioToPassthrough()),
                    v.medianCoresUsed(),
                    megabytes((long) v.medianRssBytes()),
                    v.medianWallSeconds(),
                    v.medianStartupSeconds(),
                    cores(v.medianOtherCoresUsed())));
        }
        md.append(String.format(
                Locale.ROOT,
                "%n- **events/s**: readings through the job's keyed task per second (the"
                        + " pass-through's `numRecordsIn`, the scoring operator's `vigil.events_scored_total`: a reading counts once"
                        + " scored), read from the job's metrics over Flink's REST API every 100 ms (refreshed every 500 ms):"
                        + " the least-squares slope of that count over time between %.0f%% and %.0f%% of the input, so job"
                        + " start-up, model loading and the final commit are left out; median of %d runs per variant, variants"
                        + " interleaved so machine noise hits all alike. Every run was checked: every input reading through,"
                        + " one score record per reading (passthrough) or per scored event = events - %d per key"
                        + " (vigil-scores) committed, every alert the scoring operator emitted committed, no dead letter.%n",
                100 * ThroughputMath.STEADY_FROM,
                100 * ThroughputMath.STEADY_TO,
                context.repeats(),
                w.window() - 1));
        md.append("- **vs passthrough**: the variant's median / the pass-through median of the same benchmark run.\n");
        md.append(
                miniCluster
                        ? "- **cores used**: process CPU time / wall time of the run (median). The process is the"
                                + " whole JVM: Kafka broker, MiniCluster and the output consumer.\n"
                        : "- **cores used**: CPU time of the JobManager and TaskManager processes / wall time of the run (median);"
                                + " the broker's and the benchmark's are in **others' cores**.\n");
        md.append(
                miniCluster
                        ? "- **RSS**: the JVM's VmRSS when the run's output was complete (median); one JVM serves"
                                + " all runs.\n"
                        : "- **RSS**: the TaskManagers' VmRSS summed, when the run's output was complete"
                                + " (median).\n");
        md.append(
                "- **wall**: submit to the last reading through (and the last score record committed); **start-up**:"
                        + " submit to the first reading through the keyed task (job start, model load, the first watermark).\n");
        md.append("- **others' cores**: CPU other processes on the machine used during the run (from /proc/stat),"
                + " median: the noise on a shared machine.\n\n");

        md.append("## Variants\n\n");
        for (VariantSummary v : variants) {
            md.append(String.format(
                    Locale.ROOT,
                    "- `%s`: %s; reads %,d readings, writes %,d score records and %,d" + " alerts.%n",
                    v.variant(),
                    v.description(),
                    v.inputEvents(),
                    v.outputRecords(),
                    v.alerts()));
        }
        md.append("\n## Workload and jobs\n\n");
        if (w.transactions()) {
            appendTransactionWorkload(md, w);
        } else {
            appendReadingWorkload(md, w);
        }
        md.append(String.format(
                Locale.ROOT,
                "- Jobs: %s; checkpoint every %d ms (all variants); exactly-once Kafka"
                        + " sinks; bounded reads from earliest (`kafka.stop-at-end=true`); fresh output topics and"
                        + " transactional ids per run; job options for all variants: %s.%n%n",
                context.target(),
                context.checkpointIntervalMillis(),
                context.jobOptions().isEmpty()
                        ? "none"
                        : context.jobOptions().entrySet().stream()
                                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                                .collect(Collectors.joining(", "))));
        if (context.jobOptions().containsKey(JobRunner.ALIGNMENT)) {
            md.append("- `" + JobRunner.ALIGNMENT + "` applies to the latency phase only: the job refuses watermark"
                    + " alignment on a bounded read (the Kafka connector fails a source whose partition ends while"
                    + " alignment pauses it, FLINK-39728), so the throughput runs above read unaligned.\n\n");
        }

        if (!latency.isEmpty()) {
            md.append("## Latency at a steady load below the maximum\n\n");
            md.append("| variant | keys | load (readings/s) | produced | p50 | p99 | max | p50 visible | p99 visible |"
                    + " alerts | alert p50 | alert p99 | cores used | RSS |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (LatencyRun.Result r : latency) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %,d | %,.0f | %,.0f | %s | %s | %s | %s | %s | %,d | %s | %s |" + " %s | %s |%n",
                        r.variant(),
                        r.keys(),
                        r.targetRate(),
                        r.producedRate(),
                        percentile(r.p50Millis()),
                        percentile(r.p99Millis()),
                        millis(r.maxMillis()),
                        percentile(r.visibleP50Millis()),
                        percentile(r.visibleP99Millis()),
                        r.alerts(),
                        percentile(r.alertP50Millis()),
                        percentile(r.alertP99Millis()),
                        cores(r.coresUsed()),
                        megabytes(r.rssBytes())));
            }
            md.append(String.format(
                    Locale.ROOT,
                    "%n- Each variant reads a fresh topic, unbounded, while a paced producer"
                            + " writes live readings stamped with the wall clock as event time, after %d unpaced readings per key"
                            + " (a full window, so every live reading is scored); the load is a fraction of the variant's median"
                            + " events/s above; %.0f s to settle, then %.0f s measured.%n",
                    LatencyRun.PREFIX,
                    latency.get(0).settleSeconds(),
                    latency.get(0).seconds()));
            md.append("- **load priority**: the paced producer's threads and the Kafka broker ran at "
                    + latency.get(0).loadPriority()
                    + " over the job's processes, so that the offered load is the asked one on cores the load shares"
                    + " with the job.\n");
            md.append("- **p50 / p99 / max**: broker append time of the output record minus broker append time of its"
                    + " input reading (both topics `LogAppendTime`), over the outputs of the readings that arrived in the"
                    + " measured time: arrival in Kafka to written to Kafka, watermark wait included. The outputs are each"
                    + " job's product: one record per reading for the pass-through (and `vigil-scores`), the alerts"
                    + " for the Vigil jobs that write only alerts (there the alert columns repeat them).\n");
            md.append("- **visible**: when a `read_committed` consumer polled it, minus the input's append time: the"
                    + " exactly-once sink commits on checkpoints, so this adds up to a checkpoint interval.\n");
            md.append(
                    "- **alerts**: the same latency for the alert records (opens, updates, resolves) of those readings.\n");
            for (LatencyRun.Result r : latency) {
                ExecutionTarget.Checkpoint c = r.checkpoint();
                if (c != null) {
                    md.append(String.format(
                            Locale.ROOT,
                            "- `%s` at the end: %,d checkpoints completed (%,d failed%s), the"
                                    + " latest %,d ms and %s of state (%,.0f bytes per key), the median %,d ms, the longest"
                                    + " %,d ms.%n",
                            r.variant(),
                            c.completed(),
                            c.failed(),
                            failureNote(c),
                            c.durationMillis(),
                            megabytes(c.stateBytes()),
                            (double) c.stateBytes() / r.keys(),
                            c.p50DurationMillis(),
                            c.maxDurationMillis()));
                }
            }
            md.append('\n');
            if (latency.stream().anyMatch(r -> r.aroundCheckpoints() != null)) {
                appendAroundCheckpoints(md, latency);
            }
            for (LatencyRun.Result r : latency) {
                if (r.timeline().isEmpty()) {
                    continue;
                }
                md.append(String.format(
                        Locale.ROOT, "### `%s` over time (%,.0f readings/s)%n%n", r.variant(), r.targetRate()));
                md.append("| minute | producer behind | readings through/s | outputs | p50 | p99 | TaskManager RSS |"
                        + " checkpoints | latest checkpoint | state |\n");
                md.append("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
                for (LatencyRun.Sample t : r.timeline()) {
                    ExecutionTarget.Checkpoint c = t.checkpoint();
                    md.append(String.format(
                            Locale.ROOT,
                            "| %.0f | %s | %s | %,d | %s | %s | %s | %s | %s | %s |%n",
                            t.endSeconds() / 60,
                            t.producerBehindMillis() < 0
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%,d ms", t.producerBehindMillis()),
                            Double.isNaN(t.throughPerSecond())
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%,.0f", t.throughPerSecond()),
                            t.outputs(),
                            percentile(t.p50Millis()),
                            percentile(t.p99Millis()),
                            t.taskManagerRss().stream()
                                    .map(BenchmarkReport::megabytes)
                                    .collect(Collectors.joining(", ")),
                            c == null ? "-" : String.format(Locale.ROOT, "%,d", c.completed()),
                            c == null ? "-" : String.format(Locale.ROOT, "%,d ms", c.durationMillis()),
                            c == null ? "-" : megabytes(c.stateBytes())));
                }
                md.append(String.format(
                        Locale.ROOT,
                        "%n**producer behind**: how late against its schedule the"
                                + " benchmark's paced producer sent its latest reading at the minute's end (at worst %,d ms"
                                + " over the run, settling included): a late producer catches up in a burst, so the job's"
                                + " load then was above the rate asked. **readings through/s**: readings through the job's"
                                + " keyed task per second over the minute, from its metrics (%,.0f asked): the producer's"
                                + " rate while the job keeps up (above it while the producer catches up), lower when the job"
                                + " falls behind, and then it is what the job managed.%n%n",
                        r.producerMaxBehindMillis(),
                        r.targetRate()));
            }
        }

        md.append("## Where the CPU went (share of process CPU over the variant's runs)\n\n");
        List<String> roles = new ArrayList<>();
        for (String role : ThreadRoles.ORDER) {
            if (variants.stream().anyMatch(v -> v.cpuShareByRole().containsKey(role))) {
                roles.add(role);
            }
        }
        if (roles.isEmpty()) {
            md.append("Not sampled: the jobs ran in other JVMs than the benchmark's.\n");
        } else {
            md.append("| variant | ").append(String.join(" | ", roles)).append(" |\n");
            md.append("|---|").append("---:|".repeat(roles.size())).append('\n');
            for (VariantSummary v : variants) {
                md.append("| ").append(v.variant());
                for (String role : roles) {
                    Double share = v.cpuShareByRole().get(role);
                    md.append(" | ").append(share == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * share));
                }
                md.append(" |\n");
            }
        }

        md.append("\n## Runs\n\n| # | variant | repeat | readings through | score records | alerts | events/s |"
                + " score records/s (append times) | wall | start-up | cores | others' cores | RSS | checkpoints"
                + " (failed) | latest state | checkpoint p50 / longest |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int i = 1;
        for (RunResult r : runs) {
            ExecutionTarget.Checkpoint c = r.checkpoint();
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %,d | %,d | %,d | %,.0f | %s | %.1f s | %.1f s | %.2f |"
                            + " %s | %s | %s | %s | %s |%n",
                    i++,
                    r.variant(),
                    r.repeat(),
                    r.processedEvents(),
                    r.records(),
                    r.alerts(),
                    r.eventsPerSecond(),
                    Double.isNaN(r.outputEventsPerSecond())
                            ? "-"
                            : String.format(Locale.ROOT, "%,.0f", r.outputEventsPerSecond()),
                    r.wallSeconds(),
                    r.startupSeconds(),
                    r.coresUsed(),
                    cores(r.otherCoresUsed()),
                    megabytes(r.rssBytes()),
                    c == null ? "-" : String.format(Locale.ROOT, "%,d (%,d)", c.completed(), c.failed()),
                    c == null ? "-" : megabytes(c.stateBytes()),
                    c == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%,d / %,d ms", c.p50DurationMillis(), c.maxDurationMillis())));
        }
        md.append("\n**score records/s (append times)**: for the variants that write one record per reading or"
                + " scored event, (records - 1) / (last - first broker append time) of that topic: the earlier measure,"
                + " a cross-check of events/s.\n");
        md.append("\n## Reproduce\n\n```\n");
        context.reproduce().forEach(line -> md.append(line).append('\n'));
        md.append(context.commandLine()).append("\n```\n");
        return md.toString();
    }

    private static void appendAroundCheckpoints(StringBuilder md, List<LatencyRun.Result> latency) {
        md.append("### Latency around checkpoints\n\n");
        md.append("| variant | checkpoints | longest | quiet outputs | p50 | p99 | max | after one | p50 | p99 | max |"
                + " during one | p50 | p99 | max | longest sync part | longest alignment | longest start delay |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n");
        for (LatencyRun.Result r : latency) {
            CheckpointOverlap.Split c = r.aroundCheckpoints();
            if (c == null) {
                continue;
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %s | %,d | %s | %s | %s | %,d | %s | %s | %s | %,d | %s | %s | %s"
                            + " | %s | %s | %s |%n",
                    r.variant(),
                    c.checkpoints(),
                    millis(known(c.longestMillis())),
                    c.quiet(),
                    percentile(c.quietP50()),
                    percentile(c.quietP99()),
                    millis(c.quietMax()),
                    c.after(),
                    percentile(c.afterP50()),
                    percentile(c.afterP99()),
                    millis(c.afterMax()),
                    c.during(),
                    percentile(c.duringP50()),
                    percentile(c.duringP99()),
                    millis(c.duringMax()),
                    withVertex(c.longestSyncMillis(), c.syncVertex()),
                    withVertex(c.longestAlignmentMillis(), c.alignmentVertex()),
                    millis(known(c.longestStartDelayMillis()))));
        }
        md.append(String.format(
                Locale.ROOT,
                "%n- An output is **during** a checkpoint when its life, from its reading's"
                        + " arrival to its own append, overlaps a checkpoint's (triggered to last acknowledgement); **after** one"
                        + " when its reading arrived within %d s of a checkpoint's end, while a stall's backlog drains;"
                        + " **quiet** otherwise. The longest synchronous part, alignment and start delay are the maxima over"
                        + " the measured time's checkpoints and their subtasks, with the task.%n%n",
                CheckpointOverlap.AFTER_MILLIS / 1000));
    }

    /** A duration that is -1 where unknown, as NaN ("n/a"). */
    private static double known(long millis) {
        return millis < 0 ? Double.NaN : millis;
    }

    private static String withVertex(long value, String vertex) {
        return value < 0 ? "-" : millis(value) + (vertex.isEmpty() ? "" : " (" + vertex + ")");
    }

    /** Writes the Markdown to {@code markdown} and the JSON to {@code json}, creating directories. */
    public void write(Path markdown, Path json) throws IOException {
        for (Path p : new Path[] {markdown, json}) {
            Path dir = p.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        }
        Files.writeString(markdown, toMarkdown());
        JSON.writeValue(json.toFile(), this);
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** A percentile of {@link LatencyRun.Histogram}. */
    static String percentile(double ms) {
        return millis(ms);
    }

    private static String cores(double c) {
        return Double.isNaN(c) ? "n/a" : String.format(Locale.ROOT, "%.2f", c);
    }

    /**
     * Why a run's checkpoints failed, after their count: the latest failed checkpoint's reason as the
     * JobManager gives it, or, when it kept none, that no failed checkpoint had started: Flink counts a
     * trigger it refuses (a task not running yet, as in a job's first seconds) as failed but records no
     * statistics for it; its log names the task.
     */
    static String failureNote(ExecutionTarget.Checkpoint c) {
        if (c.failed() == 0) {
            return "";
        }
        return c.latestFailure() != null
                ? "; the latest because: " + c.latestFailure().strip()
                : "; none had started: triggers the JobManager refused, as while a job's tasks start (its log"
                        + " names the task)";
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", Math.round(bytes / 1048576.0));
    }
}
