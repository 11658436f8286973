package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.config.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings a benchmark run gives its job; nothing here starts a broker or a job. */
class JobRunnerSettingsTest {

    private static JobRunner runner(Map<String, String> jobOptions) {
        BenchmarkModel model = new BenchmarkModel(
                Path.of("/models"),
                "vigil-bench",
                "bench-1",
                "file:///models",
                32,
                32,
                List.of(64, 16, 64),
                2,
                400,
                1.0);
        Workload workload = new Workload(
                "127.0.0.1:9092",
                "bench-readings",
                4,
                100,
                40,
                List.of("c1"),
                0,
                "bench-readings-small",
                10,
                "bench-model-updates",
                model,
                1.0);
        return new JobRunner(
                null,
                workload,
                (topic, partitions, config) -> {},
                new JobRunner.Options(
                        Duration.ofSeconds(2),
                        jobOptions,
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(2),
                        Duration.ofSeconds(15),
                        null));
    }

    @Test
    void boundedRunsReadUnalignedAndTakeEveryOtherOption() {
        Map<String, String> m = runner(Map.of(JobRunner.ALIGNMENT, "1s", "watermark.idle-timeout", "1h"))
                .jobSettings(JobVariant.VIGIL, "bench-01-vigil");
        assertThat(m)
                .containsEntry("kafka.stop-at-end", "true")
                .containsEntry("watermark.idle-timeout", "1h")
                .doesNotContainKey(JobRunner.ALIGNMENT);
        // what the job would refuse: alignment on a bounded read
        assertThat(JobConfig.fromMap(m).alignmentMaxDrift()).isZero();
    }
}
