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
        return runner(jobOptions, false);
    }

    private static JobRunner runner(Map<String, String> jobOptions, boolean transactions) {
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
        Workload workload = transactions
                ? new Workload(
                        "127.0.0.1:9092",
                        "bench-transactions",
                        4,
                        100,
                        0,
                        List.of("f1"),
                        3,
                        "",
                        0,
                        "bench-model-updates",
                        model,
                        1.0,
                        BenchmarkStream.TRANSACTIONS,
                        5_000)
                : new Workload(
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
                        1.0,
                        BenchmarkStream.SENSORS,
                        4_000);
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

    @Test
    void transactionVariantsRunTheTransactionPipelineAloneOnItsOwnTopicsAndModel() {
        JobRunner runner = runner(Map.of("watermark.idle-timeout", "1h"), true);
        JobConfig vigil = JobConfig.fromMap(runner.jobSettings(JobVariant.TX_VIGIL, "bench-02-tx-vigil"));
        assertThat(vigil.sensors()).isFalse();
        assertThat(vigil.transactions().inputTopic()).isEqualTo("bench-transactions");
        assertThat(vigil.transactions().modelId()).isEqualTo("vigil-bench");
        assertThat(vigil.transactions().modelVersion()).isEqualTo("bench-1");
        assertThat(vigil.transactions().emitScores()).isFalse(); // alerts only, as the job runs by default
        assertThat(JobRunner.Outputs.of(vigil))
                .isEqualTo(new JobRunner.Outputs("", "bench-02-tx-vigil-alerts", "bench-02-tx-vigil-dead-letter"));
        JobConfig pass = JobConfig.fromMap(runner.jobSettings(JobVariant.TX_PASSTHROUGH, "bench-01-tx-passthrough"));
        assertThat(JobRunner.Outputs.of(pass).scores()).isEqualTo("bench-01-tx-passthrough-scores");
        // the sensor variants keep their sensor topics
        JobConfig sensors = JobConfig.fromMap(runner(Map.of()).jobSettings(JobVariant.PASSTHROUGH, "bench-01-p"));
        assertThat(sensors.transactions()).isNull();
        assertThat(JobRunner.Outputs.of(sensors))
                .isEqualTo(new JobRunner.Outputs("bench-01-p-scores", "bench-01-p-alerts", "bench-01-p-dead-letter"));
    }
}
