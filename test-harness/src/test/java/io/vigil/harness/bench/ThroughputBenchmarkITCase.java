package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import io.vigil.trainer.training.TrainingConfig;
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
        BenchmarkSettings settings = new BenchmarkSettings(6, 60, 3, 2, 2, 1, List.of(JobVariant.values()), 120,
                Duration.ofMillis(500), BenchmarkSettings.DEFAULT_JOB_OPTIONS, 400, 1, 3, output);
        StringWriter log = new StringWriter();
        BenchmarkReport report = ThroughputBenchmark.run(settings, "benchmark --keys 6", new PrintWriter(log, true));

        assertThat(report.runs()).extracting(RunResult::variant)
                .containsExactly("passthrough", "vigil", "vigil-dl4j", "naive");
        assertThat(report.runs()).allSatisfy(r -> {
            assertThat(r.records()).isEqualTo(r.expectedRecords());
            // a tiny output may land in one broker append: then there is no rate (NaN), never a wrong one
            assertThat(Double.isNaN(r.eventsPerSecond()) || r.eventsPerSecond() > 0).isTrue();
            assertThat(r.lastAppendMillis()).isGreaterThan(r.firstAppendMillis());
        });
        int scoredPerKey = 60 - (TrainingConfig.DEFAULT_WINDOW_LENGTH - 1);
        assertThat(report.runs().get(0).records()).isEqualTo(6 * 60);
        assertThat(report.runs().get(1).records()).isEqualTo(6 * scoredPerKey);
        assertThat(report.runs().get(3).records()).isEqualTo(2 * scoredPerKey); // naive: the first 120 / 60 keys
        assertThat(report.variants().get(0).ratioToPassthrough()).isEqualTo(1.0);
        assertThat(Files.readString(output)).contains("| naive |").contains("benchmark --keys 6");
        assertThat(Files.readString(dir.resolve("bench/throughput.json"))).contains("\"medianEventsPerSecond\"");
    }
}
