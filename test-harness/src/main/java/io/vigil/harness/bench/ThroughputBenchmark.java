package io.vigil.harness.bench;

import io.vigil.harness.cluster.LocalStack;
import io.vigil.harness.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The MiniCluster throughput benchmark, end to end in one JVM: an in-process Kafka broker, the workload
 * prepared in it ({@link WorkloadPreparer}), every variant run {@code repeats} times interleaved
 * (passthrough, vigil, vigil-dl4j, naive, passthrough, ...) on a fresh MiniCluster each
 * ({@link JobRunner}), and the {@link BenchmarkReport} written as Markdown and JSON.
 */
public final class ThroughputBenchmark {

    /** How to run it again (from the repository root); the exact JVM command line of this run follows. */
    public static final List<String> BUILD = List.of(
            "# from the repository root; the launcher builds what it needs first",
            "test-harness/bin/vigil-harness benchmark",
            "# this run's exact JVM command line:");

    private ThroughputBenchmark() {}

    /**
     * Runs the benchmark and writes its report to {@code settings.output()} (and the JSON beside it).
     *
     * @param commandLine how this run was started, for the report
     */
    public static BenchmarkReport run(BenchmarkSettings settings, String commandLine, PrintWriter out)
            throws Exception {
        return run(settings, Deployment.MINICLUSTER, LatencyPlan.NONE, commandLine, out);
    }

    /** Where the jobs run. */
    public enum Deployment {
        /** A MiniCluster per job in this JVM, beside an in-process broker. */
        MINICLUSTER,
        /** deploy/local's broker and standalone cluster (JobManager, two TaskManagers), started for the benchmark. */
        STANDALONE
    }

    /**
     * The latency phase after the throughput runs: each variant at {@code load} times its median events/s,
     * or at {@code rate} readings/s when that is given.
     *
     * @param load fraction of the variant's maximum, in (0, 1]; 0 for no latency phase (unless a rate is given)
     * @param rate readings/s for every variant instead (e.g. 80% of an earlier run's median, for a soak); 0 for none
     */
    public record LatencyPlan(double load, double rate, Duration settle, Duration measure) {
        public static final LatencyPlan NONE = new LatencyPlan(0, 0, Duration.ZERO, Duration.ZERO);

        public LatencyPlan {
            if (!(load >= 0 && load <= 1)) {
                throw new IllegalArgumentException("--latency-load must be in [0, 1] (a fraction of the variant's"
                        + " measured maximum; 0 for none), got " + load);
            }
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException(
                        "--latency-rate must be a number of readings/s >= 0 (0: use" + " --latency-load), got " + rate);
            }
        }

        boolean runs() {
            return load > 0 || rate > 0;
        }

        /** The readings/s a variant of median throughput {@code median} is run at. */
        double rateFor(double median) {
            return Math.max(1, Math.round(rate > 0 ? rate : load * median));
        }
    }

    /** Runs the benchmark on {@code deployment}, then the latency phase if {@code latency.runs()}. */
    public static BenchmarkReport run(
            BenchmarkSettings settings, Deployment deployment, LatencyPlan latency, String commandLine, PrintWriter out)
            throws Exception {
        long started = System.nanoTime();
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path work = Files.createTempDirectory("vigil-bench-");
        Path logs = settings.output()
                .toAbsolutePath()
                .resolveSibling(settings.output().getFileName().toString().replaceFirst("\\.md$", "") + "-logs");
        try (Brokers brokers = Brokers.start(deployment, work, out)) {
            try {
                return runOn(brokers, settings, deployment, latency, commandLine, out, work, date, started);
            } finally {
                brokers.keepLogs(logs);
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static BenchmarkReport runOn(
            Brokers brokers,
            BenchmarkSettings settings,
            Deployment deployment,
            LatencyPlan latency,
            String commandLine,
            PrintWriter out,
            Path work,
            String date,
            long started)
            throws Exception {
        out.println("kafka broker at " + brokers.bootstrapServers());
        Workload workload =
                WorkloadPreparer.prepare(settings, brokers.bootstrapServers(), brokers::createTopic, work, out);
        ExecutionTarget target = deployment == Deployment.MINICLUSTER
                ? new MiniClusterTarget(settings.parallelism())
                : new StandaloneTarget(
                        brokers.stack,
                        StandaloneTarget.repositoryJars(LocalStack.repository()),
                        settings.parallelism());
        JobRunner runner = new JobRunner(target, workload, brokers::createTopic, JobRunner.Options.of(settings, out));
        List<RunResult> runs = new ArrayList<>();
        int total = settings.repeats() * settings.variants().size();
        for (int repeat = 1; repeat <= settings.repeats(); repeat++) {
            for (JobVariant variant : settings.variants()) {
                out.printf(
                        Locale.ROOT,
                        "run %d/%d: %s (repeat %d) ...%n",
                        runs.size() + 1,
                        total,
                        variant.cliName(),
                        repeat);
                out.flush();
                RunResult r = runner.run(variant, repeat, runs.size() + 1);
                runs.add(r);
                out.printf(
                        Locale.ROOT,
                        "  %,d readings through, %,.0f events/s%s; %,d alerts; wall %.1f s (start-up"
                                + " %.1f s), %.2f cores (others %.2f), RSS %s%n",
                        r.processedEvents(),
                        r.eventsPerSecond(),
                        r.records() == 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        " (%,d score records, %,.0f/s by append time)",
                                        r.records(),
                                        r.outputEventsPerSecond()),
                        r.alerts(),
                        r.wallSeconds(),
                        r.startupSeconds(),
                        r.coresUsed(),
                        r.otherCoresUsed(),
                        BenchmarkReport.megabytes(r.rssBytes()));
                out.flush();
            }
        }
        BenchmarkReport.Context context = new BenchmarkReport.Context(
                date,
                commandLine,
                BUILD,
                machine(),
                BenchmarkReport.WorkloadInfo.of(workload),
                target.describe(),
                settings.checkpointInterval().toMillis(),
                settings.jobOptions(),
                settings.repeats(),
                (System.nanoTime() - started) / 1e9);
        BenchmarkReport report = BenchmarkReport.of(context, settings.variants(), runs);
        report.write(settings.output(), settings.jsonOutput()); // kept even if a latency run fails
        if (latency.runs()) {
            LatencyRun latencyRun = new LatencyRun(target, workload, runner, brokers::createTopic, settings);
            List<LatencyRun.Result> results = new ArrayList<>();
            for (BenchmarkReport.VariantSummary v : report.variants()) {
                double rate = latency.rateFor(v.medianEventsPerSecond());
                out.printf(
                        Locale.ROOT,
                        "latency %d: %s at %,.0f readings/s (%.0f%% of its median) ...%n",
                        results.size() + 1,
                        v.variant(),
                        rate,
                        100 * rate / v.medianEventsPerSecond());
                out.flush();
                LatencyRun.Result r = latencyRun.run(
                        JobVariant.parse(v.variant()),
                        rate,
                        latency.settle(),
                        latency.measure(),
                        results.size() + 1,
                        out);
                results.add(r);
                out.printf(
                        Locale.ROOT,
                        "  %,d outputs measured: p50 %.0f ms, p99 %.0f ms (visible p99 %.0f ms);"
                                + " %,d alerts, p99 %.0f ms; produced %,.0f readings/s, at worst %,d ms behind schedule%n",
                        r.measured(),
                        r.p50Millis(),
                        r.p99Millis(),
                        r.visibleP99Millis(),
                        r.alerts(),
                        r.alertP99Millis(),
                        r.producedRate(),
                        r.producerMaxBehindMillis());
                out.flush();
            }
            report = report.withLatency(results);
        }
        report.write(settings.output(), settings.jsonOutput());
        return report;
    }

    /** The broker the benchmark uses: in-process, or the one of the local stack (with its Flink cluster). */
    private static final class Brokers implements AutoCloseable {
        private final EmbeddedKafka embedded;
        private final LocalStack stack;
        private final Admin admin;

        private Brokers(EmbeddedKafka embedded, LocalStack stack) {
            this.embedded = embedded;
            this.stack = stack;
            this.admin = stack == null ? null : Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
        }

        static Brokers start(Deployment deployment, Path work, PrintWriter out) throws IOException {
            if (deployment == Deployment.MINICLUSTER) {
                return new Brokers(EmbeddedKafka.start(), null);
            }
            out.println("starting the local standalone stack (deploy/local/bin/vigil-local: Kafka, a JobManager, two"
                    + " TaskManagers) in " + work.resolve("stack"));
            out.flush();
            return new Brokers(null, LocalStack.start(LocalStack.repository(), work.resolve("stack")));
        }

        String bootstrapServers() {
            return embedded != null ? embedded.bootstrapServers() : stack.bootstrapServers();
        }

        void createTopic(String name, int partitions, Map<String, String> configs) {
            if (embedded != null) {
                embedded.createTopic(name, partitions, configs);
                return;
            }
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Could not create topic " + name + " on " + bootstrapServers() + ": " + e.getMessage(), e);
            }
        }

        /** Copies the stack's logs (broker, JobManager, TaskManagers) to {@code dir}, for diagnosis after it stops. */
        void keepLogs(Path dir) {
            if (stack == null) {
                return;
            }
            Path logs = stack.runDir().resolve("logs");
            try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
                Files.createDirectories(dir);
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                System.err.println("could not keep the stack's logs: " + e);
            }
        }

        @Override
        public void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(10));
            }
            if (stack != null) {
                stack.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** This machine and JVM, for the report. */
    static BenchmarkReport.Machine machine() {
        return new BenchmarkReport.Machine(
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory(),
                Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset"));
    }

    /** {@code OMP_NUM_THREADS=.. java <this JVM's options> -cp "$CP" io.vigil.harness.HarnessCli <args>}. */
    public static String commandLine(List<String> args) {
        StringBuilder s = new StringBuilder();
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null) {
            s.append("OMP_NUM_THREADS=").append(omp).append(' ');
        }
        s.append("java");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            s.append(' ').append(quote(a));
        }
        s.append(" -cp \"$CP\" io.vigil.harness.HarnessCli");
        for (String a : args) {
            s.append(' ').append(quote(a));
        }
        return s.toString();
    }

    private static String quote(String a) {
        return a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }
}
