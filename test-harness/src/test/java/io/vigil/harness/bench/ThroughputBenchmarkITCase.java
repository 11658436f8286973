package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.trainer.training.TrainingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        BenchmarkSettings settings = new BenchmarkSettings(
                6,
                60,
                3,
                2,
                2,
                1,
                BenchmarkSettings.DEFAULT_VARIANTS,
                120,
                Duration.ofMillis(500),
                BenchmarkSettings.DEFAULT_JOB_OPTIONS,
                400,
                1,
                3,
                output,
                BenchmarkStream.SENSORS,
                BenchmarkSettings.DEFAULT_DAYS);
        StringWriter log = new StringWriter();
        BenchmarkReport report = ThroughputBenchmark.run(settings, "benchmark --keys 6", new PrintWriter(log, true));

        assertThat(report.runs())
                .extracting(RunResult::variant)
                .containsExactly("passthrough", "vigil", "vigil-scores", "vigil-dl4j", "naive");
        assertThat(report.runs()).allSatisfy(r -> {
            assertThat(r.processedEvents()).isLessThanOrEqualTo(r.inputEvents());
            assertThat(r.records()).isEqualTo(r.expectedRecords());
            // a tiny run may pass its 10%-90% part between two metric readings: then there is no rate (NaN),
            // never a wrong one
            assertThat(Double.isNaN(r.eventsPerSecond()) || r.eventsPerSecond() > 0)
                    .isTrue();
        });
        int scoredPerKey = 60 - (TrainingConfig.DEFAULT_WINDOW_LENGTH - 1);
        RunResult pass = report.runs().get(0);
        RunResult vigil = report.runs().get(1);
        RunResult scores = report.runs().get(2);
        assertThat(pass.inputEvents()).isEqualTo(6 * 60);
        assertThat(pass.records()).isEqualTo(6 * 60); // one record per reading
        assertThat(pass.alerts()).isZero();
        assertThat(vigil.records()).isZero(); // alerts only, as in production
        assertThat(scores.records()).isEqualTo(6 * scoredPerKey); // one score per scored event
        // the same readings and model: the same alerts, with the scores stream on or off
        assertThat(vigil.alerts()).isEqualTo(scores.alerts());
        assertThat(report.runs().get(4).inputEvents()).isEqualTo(2 * 60); // naive: the first 120 / 60 keys
        if (!Double.isNaN(pass.eventsPerSecond())) {
            assertThat(report.variants().get(0).ratioToPassthrough()).isEqualTo(1.0);
        }
        assertThat(Files.readString(output)).contains("| naive |").contains("benchmark --keys 6");
        assertThat(Files.readString(dir.resolve("bench/throughput.json"))).contains("\"medianEventsPerSecond\"");
    }
}
