package io.vigil.harness.bench;

import io.vigil.harness.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

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
    public static BenchmarkReport run(BenchmarkSettings settings, String commandLine, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path work = Files.createTempDirectory("vigil-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            out.println("kafka broker at " + kafka.bootstrapServers());
            Workload workload = WorkloadPreparer.prepare(settings, kafka.bootstrapServers(), kafka::createTopic, work, out);
            ExecutionTarget target = new MiniClusterTarget(settings.parallelism());
            JobRunner runner = new JobRunner(target, workload, kafka::createTopic,
                    JobRunner.Options.of(settings, out));
            List<RunResult> runs = new ArrayList<>();
            int total = settings.repeats() * settings.variants().size();
            for (int repeat = 1; repeat <= settings.repeats(); repeat++) {
                for (JobVariant variant : settings.variants()) {
                    out.printf(Locale.ROOT, "run %d/%d: %s (repeat %d) ...%n", runs.size() + 1, total, variant.cliName(),
                            repeat);
                    out.flush();
                    RunResult r = runner.run(variant, repeat, runs.size() + 1);
                    runs.add(r);
                    out.printf(Locale.ROOT, "  %,d records, %,.0f events/s, wall %.1f s (start-up %.1f s), %.2f cores"
                                    + " (others %.2f), RSS %s%n", r.records(), r.eventsPerSecond(), r.wallSeconds(),
                            r.startupSeconds(), r.coresUsed(), r.otherCoresUsed(), BenchmarkReport.megabytes(r.rssBytes()));
                    out.flush();
                }
            }
            BenchmarkReport.Context context = new BenchmarkReport.Context(date, commandLine, BUILD, machine(),
                    BenchmarkReport.WorkloadInfo.of(workload), target.describe(), settings.checkpointInterval().toMillis(),
                    settings.jobOptions(), settings.repeats(), (System.nanoTime() - started) / 1e9);
            BenchmarkReport report = BenchmarkReport.of(context, settings.variants(), runs);
            report.write(settings.output(), settings.jsonOutput());
            return report;
        } finally {
            deleteRecursively(work);
        }
    }

    /** This machine and JVM, for the report. */
    static BenchmarkReport.Machine machine() {
        return new BenchmarkReport.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory(), Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset"));
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
