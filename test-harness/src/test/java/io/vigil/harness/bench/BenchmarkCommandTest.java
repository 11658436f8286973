package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.CliRun;
import io.vigil.harness.HarnessCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options, defaults and usage errors of {@code benchmark}; nothing here starts a broker or a job. */
class BenchmarkCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static BenchmarkSettings parse(String... args) {
        BenchmarkCommand command = new BenchmarkCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void defaultsAreTheDocumentedWorkload() {
        BenchmarkSettings s = parse();
        assertThat(s.keys()).isEqualTo(1_000);
        assertThat(s.eventsPerKey()).isEqualTo(300);
        assertThat(s.channels()).isEqualTo(8);
        assertThat(s.parallelism()).isEqualTo(2);
        assertThat(s.repeats()).isEqualTo(3);
        assertThat(s.partitions()).isEqualTo(4);
        assertThat(s.variants())
                .containsExactly(
                        JobVariant.PASSTHROUGH,
                        JobVariant.VIGIL,
                        JobVariant.VIGIL_SCORES,
                        JobVariant.VIGIL_DL4J,
                        JobVariant.NAIVE);
        assertThat(s.naiveEvents()).isEqualTo(20_000);
        assertThat(s.naiveKeys()).isEqualTo(66);
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.output()).isEqualTo(Path.of("target/benchmark/throughput.md"));
        assertThat(s.jsonOutput()).isEqualTo(Path.of("target/benchmark/throughput.json"));
        assertThat(s.jobOptions()).containsExactly(Map.entry("watermark.idle-timeout", "1h"));
    }

    @Test
    void theTransactionStreamRunsItsOwnVariantsOnAccountsOverDaysAndThroughputOnly() {
        BenchmarkSettings s = parse("--stream", "transactions", "--keys", "2000", "--days", "90");
        assertThat(s.stream()).isEqualTo(BenchmarkStream.TRANSACTIONS);
        assertThat(s.variants()).containsExactly(JobVariant.TX_PASSTHROUGH, JobVariant.TX_VIGIL);
        assertThat(s.keys()).isEqualTo(2_000);
        assertThat(s.days()).isEqualTo(90);
        assertThat(parse().stream()).isEqualTo(BenchmarkStream.SENSORS);
        assertUsage(
                List.of("--stream", "transactions", "--variants", "tx-vigil,vigil", "--latency-load", "0"),
                "--variants vigil runs on the sensors workload, not on --stream transactions's; its variants are"
                        + " [tx-passthrough, tx-vigil]");
        assertUsage(List.of("--variants", "tx-vigil"), "--variants tx-vigil runs on the transactions workload");
        assertUsage(List.of("--stream", "cards"), "--stream must be sensors or transactions, got 'cards'");
        assertUsage(
                List.of("--stream", "transactions", "--days", "0", "--latency-load", "0"),
                "--days must be in [1, 3650], got 0");
        assertUsage(List.of("--stream", "transactions"), "--stream transactions measures throughput only");
    }

    @Test
    void jobOptionsAddToAndOverrideTheDefaults() {
        BenchmarkSettings s =
                parse("--job-option", "scoring.max-batch=64", "--job-option", "watermark.idle-timeout=2s");
        assertThat(s.jobOptions())
                .containsEntry("scoring.max-batch", "64")
                .containsEntry("watermark.idle-timeout", "2s");
        assertUsage(List.of("--job-option", "topic.scores=mine"), "--job-option topic.scores is set by the benchmark");
        assertUsage(List.of("--job-option", "execution.checkpointing.interval=1s"), "use --checkpoint-interval");
    }

    @Test
    void optionsAreTakenAsGiven() {
        BenchmarkSettings s = parse(
                "--keys",
                "10000",
                "--events-per-key",
                "50",
                "--channels",
                "4",
                "--parallelism",
                "1",
                "--repeats",
                "5",
                "--variants",
                "vigil,passthrough",
                "--naive-events",
                "0",
                "--checkpoint-interval",
                "500ms",
                "--output",
                "/tmp/x/run.md");
        assertThat(s.keys()).isEqualTo(10_000);
        assertThat(s.eventsPerKey()).isEqualTo(50);
        assertThat(s.channels()).isEqualTo(4);
        assertThat(s.parallelism()).isEqualTo(1);
        assertThat(s.repeats()).isEqualTo(5);
        assertThat(s.variants()).containsExactly(JobVariant.VIGIL, JobVariant.PASSTHROUGH);
        assertThat(s.naiveKeys()).isZero(); // naive not run: its budget is not checked
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.jsonOutput()).isEqualTo(Path.of("/tmp/x/run.json"));
        assertThat(parse("--naive-events", "1000000").naiveKeys()).isEqualTo(1_000); // at most all keys
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        assertUsage(List.of("--keys", "0"), "--keys must be in [1, 1000000], got 0");
        assertUsage(List.of("--keys", "many"), "--keys");
        assertUsage(
                List.of("--events-per-key", "16"),
                "--events-per-key must be in [" + (io.vigil.trainer.training.TrainingConfig.DEFAULT_WINDOW_LENGTH + 1)
                        + ", 1000000]");
        assertUsage(List.of("--channels", "1"), "--channels must be in [2, 64], got 1");
        assertUsage(List.of("--parallelism", "0"), "--parallelism must be in [1, 64], got 0");
        assertUsage(List.of("--repeats", "0"), "--repeats must be in [1, 100], got 0");
        assertUsage(
                List.of("--variants", "vigil,fast"),
                "Unknown variant 'fast': use passthrough,vigil,vigil-scores,vigil-dl4j,naive");
        assertUsage(List.of("--variants", "vigil,vigil"), "--variants lists a variant twice");
        assertUsage(List.of("--naive-events", "299"), "--naive-events (299) must be at least --events-per-key (300)");
        assertUsage(List.of("--checkpoint-interval", "soon"), "--checkpoint-interval: 'soon' is not a duration");
        assertUsage(List.of("--checkpoint-interval", "50ms"), "--checkpoint-interval must be at least 100 ms");
        assertUsage(List.of("--output", "report.txt"), "--output must name a Markdown file (*.md)");
        assertUsage(List.of("--frobnicate"), "Unknown option");
        assertUsage(List.of("--latency-rate", "-5"), "--latency-rate must be a number of readings/s >= 0");
        assertUsage(List.of("--latency-load", "1.5"), "--latency-load must be in [0, 1]");
    }

    @Test
    void theLatencyPhaseRunsAtAFractionOfEachMedianOrAtTheRateGiven() {
        ThroughputBenchmark.LatencyPlan byLoad = latencyPlan();
        assertThat(byLoad.runs()).isTrue();
        assertThat(byLoad.rateFor(60_000)).isEqualTo(30_000); // default: half of the variant's median
        assertThat(byLoad.settle()).isEqualTo(Duration.ofMinutes(2));

        ThroughputBenchmark.LatencyPlan byRate = latencyPlan("--latency-rate", "40000", "--latency-time", "10min");
        assertThat(byRate.rateFor(60_000)).isEqualTo(40_000); // the same for every variant, whatever its median
        assertThat(byRate.rateFor(1_000)).isEqualTo(40_000);
        assertThat(byRate.measure()).isEqualTo(Duration.ofMinutes(10));

        assertThat(latencyPlan("--latency-load", "0").runs()).isFalse();
        assertThat(latencyPlan("--latency-load", "0", "--latency-rate", "500").runs())
                .isTrue();
    }

    private static ThroughputBenchmark.LatencyPlan latencyPlan(String... args) {
        BenchmarkCommand command = new BenchmarkCommand();
        new CommandLine(command).parseArgs(args);
        return command.latencyPlan();
    }

    @Test
    void helpListsEveryOption() {
        CliRun r = run("benchmark", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains(
                        "--keys",
                        "--events-per-key",
                        "--channels",
                        "--parallelism",
                        "--repeats",
                        "--variants",
                        "--naive-events",
                        "--checkpoint-interval",
                        "--output",
                        "Default: 1000");
        assertThat(run("--help").out()).contains("benchmark");
    }

    @Test
    void helpTextsFormatWithoutPicocliWarnings() {
        // a bare '%' in a description makes picocli print a warning to stderr and show the text unformatted
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        CliRun r;
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            r = run("benchmark", "--help");
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(r.out()).contains("a soak at 80% of the median");
    }

    private static void assertUsage(List<String> args, String message) {
        String[] all = new String[args.size() + 1];
        all[0] = "benchmark";
        for (int i = 0; i < args.size(); i++) {
            all[i + 1] = args.get(i);
        }
        CliRun r = run(all);
        assertThat(r.code()).as("exit code of %s (%s)", args, r.err()).isEqualTo(HarnessCli.USAGE);
        assertThat(r.err()).contains(message);
    }
}
