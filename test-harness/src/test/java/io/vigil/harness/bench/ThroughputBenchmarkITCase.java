package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark in miniature (6 keys, one repeat): broker, training, every variant on its own
 * MiniCluster, exact output counts, the report files. Checks the wiring, never the speed.
 */
class ThroughputBenchmarkITCase {

    @TempDir
    Path dir;

    @Test
    void everyVariantWritesExactlyItsExpectedRecordsAndTheReportIsWritten() throws Exception {
        Path output = dir.resolve("bench/throughput.md");
        BenchmarkSettings settings = new BenchmarkSettings(6, 40, 3, 2, 2, 1, List.of(JobVariant.values()), 80,
                Duration.ofMillis(500), BenchmarkSettings.DEFAULT_JOB_OPTIONS, 200, 1, 3, output);
        StringWriter log = new StringWriter();
        BenchmarkReport report = ThroughputBenchmark.run(settings, "benchmark --keys 6", new PrintWriter(log, true));

        assertThat(report.runs()).extracting(RunResult::variant)
                .containsExactly("passthrough", "vigil", "vigil-dl4j", "naive");
        assertThat(report.runs()).allSatisfy(r -> {
            assertThat(r.records()).isEqualTo(r.expectedRecords());
            assertThat(r.eventsPerSecond()).isPositive();
            assertThat(r.lastAppendMillis()).isGreaterThan(r.firstAppendMillis());
        });
        assertThat(report.runs().get(0).records()).isEqualTo(6 * 40);
        assertThat(report.runs().get(1).records()).isEqualTo(6 * (40 - 15));
        assertThat(report.runs().get(3).records()).isEqualTo(2 * (40 - 15)); // naive: the first 80 / 40 keys
        assertThat(report.variants().get(0).ratioToPassthrough()).isEqualTo(1.0);
        assertThat(Files.readString(output)).contains("| naive |").contains("benchmark --keys 6");
        assertThat(Files.readString(dir.resolve("bench/throughput.json"))).contains("\"medianEventsPerSecond\"");
    }
}
