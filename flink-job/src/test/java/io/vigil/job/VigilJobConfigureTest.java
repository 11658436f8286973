package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.config.JobConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The Flink settings the job applies where the user gives none, and that given ones win. */
class VigilJobConfigureTest {

    private static final String[] REQUIRED = {
        "--kafka.bootstrap-servers", "127.0.0.1:9092", "--model.store", "/models", "--model.id", "sensors"
    };

    @Test
    void defaultsCheckpointsWatermarksAndBufferTimeout() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.configure(env, JobConfig.fromArgs(REQUIRED));

        assertThat(env.getCheckpointInterval()).isEqualTo(10_000);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(20);
        assertThat(env.getBufferTimeout()).isEqualTo(10);
    }

    @Test
    void settingsGivenWithTheJobWin() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        String[] args = new String[REQUIRED.length + 6];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(
                new String[] {
                    "--execution.checkpointing.interval",
                    "3s",
                    "--pipeline.auto-watermark-interval",
                    "70ms",
                    "--execution.buffer-timeout.interval",
                    "40ms"
                },
                0,
                args,
                REQUIRED.length,
                6);
        VigilJob.configure(env, JobConfig.fromArgs(args));

        assertThat(env.getCheckpointInterval()).isEqualTo(3_000);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(70);
        assertThat(env.getBufferTimeout()).isEqualTo(40);
    }
}
