package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-variant medians, spread and ratio to the pass-through, and the Markdown and JSON they render to. */
class BenchmarkReportTest {

    private static final BenchmarkReport.Context CONTEXT = new BenchmarkReport.Context(
            "2026-12-01T10:00:00Z",
            "OMP_NUM_THREADS=1 java -cp \"$CP\" io.vigil.harness.HarnessCli benchmark",
            ThroughputBenchmark.BUILD,
            new BenchmarkReport.Machine(2, "Test CPU", "OpenJDK 17", "Linux", 2L << 30, "1"),
            new BenchmarkReport.WorkloadInfo(
                    1_000, 300, 8, 300_000, 4, 1_000, 66, 19_800, 16, 32, List.of(32, 8, 32), 2, 200, 30.0, 12.0),
            "Flink MiniCluster, parallelism 2",
            2_000,
            Map.of("watermark.idle-timeout", "1h"),
            3,
            400.0);

    private static RunResult run(JobVariant v, int repeat, double eps, double cores, long rssMb) {
        long records = v.writesScores() ? 300_000 : 0;
        long alerts = v.scores() ? 1_234 : 0;
        return new RunResult(
                v.cliName(),
                repeat,
                300_000,
                300_000,
                records,
                records,
                alerts,
                0,
                1,
                eps,
                v.writesScores() ? 0.9 * eps : Double.NaN,
                10.0 + repeat,
                2.0,
                10.0,
                cores,
                0.25 * repeat,
                rssMb << 20,
                rssMb << 20,
                Map.of(ThreadRoles.SCORING, 4.0, ThreadRoles.BROKER, 1.0, ThreadRoles.JVM_INTERNAL, 5.0),
                Map.of("main", 1.0),
                v == JobVariant.PASSTHROUGH
                        ? null
                        : new ExecutionTarget.Checkpoint(
                                14, 1, 80, 18L << 20, 120, 950, "Checkpoint expired before completing."));
    }

    private static List<RunResult> runs() {
        List<RunResult> runs = new ArrayList<>();
        double[][] eps = {{100_000, 25_000, 12_000}, {80_000, 30_000, 10_000}, {120_000, 20_000, 11_000}};
        for (int r = 0; r < 3; r++) {
            runs.add(run(JobVariant.PASSTHROUGH, r + 1, eps[r][0], 1.5, 900));
            runs.add(run(JobVariant.VIGIL, r + 1, eps[r][1], 1.8 + r * 0.1, 1000 + r));
            runs.add(run(JobVariant.VIGIL_DL4J, r + 1, eps[r][2], 1.9, 1100));
        }
        return runs;
    }

    @Test
    void summarisesEachVariantAgainstThePassThroughOfTheSameRun() {
        BenchmarkReport report = BenchmarkReport.of(
                CONTEXT,
                List.of(JobVariant.PASSTHROUGH, JobVariant.VIGIL, JobVariant.VIGIL_DL4J, JobVariant.NAIVE),
                runs());
        assertThat(report.variants())
                .extracting(BenchmarkReport.VariantSummary::variant)
                .containsExactly("passthrough", "vigil", "vigil-dl4j"); // naive did not run
        BenchmarkReport.VariantSummary pass = report.variants().get(0);
        BenchmarkReport.VariantSummary vigil = report.variants().get(1);
        BenchmarkReport.VariantSummary dl4j = report.variants().get(2);
        assertThat(pass.medianEventsPerSecond()).isEqualTo(100_000);
        assertThat(pass.ratioToPassthrough()).isEqualTo(1.0);
        assertThat(vigil.medianEventsPerSecond()).isEqualTo(25_000);
        assertThat(vigil.minEventsPerSecond()).isEqualTo(20_000);
        assertThat(vigil.maxEventsPerSecond()).isEqualTo(30_000);
        assertThat(vigil.ratioToPassthrough()).isEqualTo(0.25);
        assertThat(vigil.medianCoresUsed()).isCloseTo(1.9, within(1e-12));
        assertThat(vigil.medianRssBytes()).isEqualTo(1001L << 20);
        assertThat(vigil.medianOtherCoresUsed()).isEqualTo(0.5);
        assertThat(vigil.medianWallSeconds()).isEqualTo(12.0);
        assertThat(vigil.outputRecords()).isZero(); // alerts only
        assertThat(vigil.alerts()).isEqualTo(1_234);
        assertThat(pass.outputRecords()).isEqualTo(300_000);
        assertThat(dl4j.ratioToPassthrough()).isEqualTo(0.11);
        // 3 runs x 10 CPU seconds, of which 3 x 4 s scoring
        assertThat(vigil.cpuShareByRole())
                .containsEntry(ThreadRoles.SCORING, 0.4)
                .containsEntry(ThreadRoles.BROKER, 0.1);
    }

    @Test
    void transactionVariantsAreComparedWithTheTransactionPassThroughAndTheWorkloadSaysTransactions() {
        BenchmarkReport.Context context = new BenchmarkReport.Context(
                CONTEXT.date(),
                CONTEXT.commandLine(),
                CONTEXT.reproduce(),
                CONTEXT.machine(),
                new BenchmarkReport.WorkloadInfo(
                        10_000, 0, 16, 2_970_000, 4, 300, 0, 0, 16, 32, List.of(64, 16, 64), 2, 40, 20.0, 15.0),
                CONTEXT.target(),
                CONTEXT.checkpointIntervalMillis(),
                CONTEXT.jobOptions(),
                2,
                CONTEXT.totalSeconds());
        List<RunResult> runs = List.of(
                run(JobVariant.TX_PASSTHROUGH, 1, 100_000, 1.5, 900),
                run(JobVariant.TX_VIGIL, 1, 60_000, 1.7, 950),
                run(JobVariant.TX_PASSTHROUGH, 2, 80_000, 1.5, 900),
                run(JobVariant.TX_VIGIL, 2, 56_000, 1.7, 950));
        BenchmarkReport report =
                BenchmarkReport.of(context, List.of(JobVariant.TX_PASSTHROUGH, JobVariant.TX_VIGIL), runs);
        assertThat(report.variants().get(0).ratioToPassthrough()).isEqualTo(1.0);
        // medians 58,000 / 90,000
        assertThat(report.variants().get(1).ratioToPassthrough()).isCloseTo(0.6444, within(1e-4));
        assertThat(report.toMarkdown())
                .contains("| tx-vigil | 58,000 | 56,000 - 60,000 | 0.644 |")
                .contains("- 2,970,000 card transactions of 10,000 accounts from the harness's generator")
                .contains("window 16 of the 16 account features")
                .doesNotContain("keys x");
    }

    @Test
    void withoutAPassThroughThereIsNoRatio() {
        List<RunResult> onlyVigil =
                runs().stream().filter(r -> r.variant().equals("vigil")).toList();
        BenchmarkReport report = BenchmarkReport.of(CONTEXT, List.of(JobVariant.VIGIL), onlyVigil);
        assertThat(report.variants().get(0).ratioToPassthrough()).isNaN();
        assertThat(report.toMarkdown()).contains("| vigil | 25,000 | 20,000 - 30,000 | - |");
    }

    @Test
    void rendersTheTableTheContextAndTheCommand(@TempDir Path dir) throws Exception {
        BenchmarkReport report = BenchmarkReport.of(
                CONTEXT, List.of(JobVariant.PASSTHROUGH, JobVariant.VIGIL, JobVariant.VIGIL_DL4J), runs());
        String md = report.toMarkdown();
        assertThat(md)
                .contains("| variant | events/s (median) | min - max | vs passthrough | cores used | RSS |")
                .contains(
                        "| passthrough | 100,000 | 80,000 - 120,000 | 1.000 | 1.50 | 900 MB | 12.0 s | 2.0 s | 0.50 |")
                .contains("| vigil | 25,000 | 20,000 - 30,000 | 0.250 | 1.90 | 1,001 MB |")
                .contains("| vigil-dl4j | 11,000 | 10,000 - 12,000 | 0.110 |")
                .contains("Measured 2026-12-01T10:00:00Z on 2 cores (Test CPU), OpenJDK 17")
                .contains("1,000 keys x 300 readings = 300,000 readings of 8 channels")
                .contains("quality does not matter")
                .contains("OMP_NUM_THREADS=1 java -cp \"$CP\" io.vigil.harness.HarnessCli benchmark")
                .contains("job options for all variants: `watermark.idle-timeout=1h`")
                .contains("40%") // scoring's CPU share
                // each run: readings through, score records, alerts, the rate, the append-time cross-check
                .contains("| 1 | passthrough | 1 | 300,000 | 300,000 | 0 | 100,000 | 90,000 |")
                .contains("| 2 | vigil | 1 | 300,000 | 0 | 1,234 | 25,000 | - |")
                .contains("| 14 (1) | 18 MB | 120 / 950 ms |") // the job's checkpoints at its end
                .contains("writes 0 score records and 1,234 alerts");

        Path md1 = dir.resolve("out/throughput.md");
        Path json = dir.resolve("out/throughput.json");
        report.write(md1, json);
        assertThat(Files.readString(md1)).isEqualTo(md);
        JsonNode tree = new ObjectMapper().readTree(json.toFile());
        assertThat(tree.at("/variants/1/variant").asText()).isEqualTo("vigil");
        assertThat(tree.at("/variants/1/medianEventsPerSecond").asDouble()).isEqualTo(25_000);
        assertThat(tree.at("/variants/1/ratioToPassthrough").asDouble()).isEqualTo(0.25);
        assertThat(tree.at("/runs").size()).isEqualTo(9);
        assertThat(tree.at("/context/workload/keys").asInt()).isEqualTo(1_000);
        assertThat(tree.at("/context/commandLine").asText()).contains("benchmark");
    }

    @Test
    void theLatencyHistogramGivesNearestRankPercentilesWithoutAnUpperBound() {
        LatencyRun.Histogram h = new LatencyRun.Histogram();
        assertThat(h.percentile(0.5)).isNaN();
        for (long ms = 1; ms <= 1_000; ms++) {
            h.add(ms);
        }
        h.add(-5); // a clock step back counts as 0 ms
        assertThat(h.count()).isEqualTo(1_001);
        assertThat(h.percentile(0.50)).isEqualTo(500);
        assertThat(h.percentile(0.99)).isEqualTo(990);
        h.add(600_000);
        assertThat(h.max()).isEqualTo(600_000);
        assertThat(h.percentile(1.0)).isCloseTo(600_000, org.assertj.core.api.Assertions.within(600.0));
    }

    @Test
    void aSoakShowsEachMinutesRateThroughTheJobAndItsLatencies() {
        ExecutionTarget.Checkpoint c = new ExecutionTarget.Checkpoint(
                40, 1, 300, 18L << 20, 250, 900, "Checkpoint expired before completing.\n");
        List<LatencyRun.Sample> timeline = List.of(
                new LatencyRun.Sample(60, 5_000, 80, 190, 92_900.4, 0, List.of(750L << 20, 751L << 20), c),
                new LatencyRun.Sample(
                        120, 4_000, 130_000, 130_000, 55_123.0, 1_500, List.of(760L << 20, 761L << 20), c),
                new LatencyRun.Sample(
                        180, 0, Double.NaN, Double.NaN, Double.NaN, -1, List.of(770L << 20, 771L << 20), c));
        LatencyRun.Result soak = new LatencyRun.Result(
                "vigil",
                10_000,
                92_912,
                92_911.9,
                120,
                180,
                9_000,
                190,
                131_072,
                295_628,
                200,
                131_072,
                9_000,
                190,
                131_072,
                1.32,
                1_537L << 20,
                c,
                timeline,
                null,
                61_234,
                "nice -5 for 97 threads of the load generator and the broker");
        String md = BenchmarkReport.of(CONTEXT, List.of(JobVariant.VIGIL), runs())
                .withLatency(List.of(soak))
                .toMarkdown();
        assertThat(md)
                .contains("### `vigil` over time (92,912 readings/s)")
                .contains("| minute | producer behind | readings through/s | outputs | p50 | p99 |")
                .contains("| 1 | 0 ms | 92,900 | 5,000 | 80 ms | 190 ms | 750 MB, 751 MB | 40 | 300 ms | 18 MB |")
                // behind: the rate is what the job managed, the latencies as long as they were
                .contains("| 2 | 1,500 ms | 55,123 | 4,000 | 130000 ms | 130000 ms | 760 MB, 761 MB |")
                .contains("| 3 | n/a | n/a | 0 | n/a | n/a |")
                .contains("at worst 61,234 ms over the run")
                .contains("ran at nice -5 for 97 threads of the load generator and the broker over the job's processes")
                // the whole run: p50, p99, max, visible p50 and p99
                .contains("| 190 ms | 131072 ms | 295628 ms | 200 ms | 131072 ms |")
                // a failed checkpoint says why, as the JobManager put it
                .contains("- `vigil` at the end: 40 checkpoints completed (1 failed; the latest because: Checkpoint"
                        + " expired before completing.), the latest 300 ms");
    }

    @Test
    void aFailedCheckpointWithoutStatisticsIsSaidToBeARefusedTrigger() {
        assertThat(BenchmarkReport.failureNote(new ExecutionTarget.Checkpoint(40, 0, 300, 1, 250, 900, null)))
                .isEmpty();
        assertThat(BenchmarkReport.failureNote(new ExecutionTarget.Checkpoint(
                        40, 1, 300, 1, 250, 900, "Checkpoint expired before completing.\n")))
                .isEqualTo("; the latest because: Checkpoint expired before completing.");
        assertThat(BenchmarkReport.failureNote(new ExecutionTarget.Checkpoint(40, 1, 300, 1, 250, 900, null)))
                .startsWith("; none had started: triggers the JobManager refused");
    }
}
