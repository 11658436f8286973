package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneTargetTest {

    @Test
    void theReportedProcessSizeIsTheOneInTheRenderedConfiguration(@TempDir Path confDir) throws Exception {
        Files.writeString(
                confDir.resolve("config.yaml"),
                "taskmanager.memory.managed.size: 128m\ntaskmanager.memory.process.size: 1879048192\n");

        assertThat(StandaloneTarget.processSizeIn(confDir)).isEqualTo("1792m");
    }

    @Test
    void aConfigurationWithoutTheSizeSaysSoInsteadOfGuessing(@TempDir Path confDir) throws Exception {
        Files.writeString(confDir.resolve("config.yaml"), "taskmanager.numberOfTaskSlots: 1\n");

        assertThat(StandaloneTarget.processSizeIn(confDir)).isEqualTo("not set in " + confDir.resolve("config.yaml"));
    }

    @Test
    void aRunDirectoryWithoutARenderedConfigurationSaysWhichFileIsMissing(@TempDir Path runDir) {
        Path confDir = runDir.resolve("conf").resolve("flink");

        assertThat(StandaloneTarget.processSizeIn(confDir)).isEqualTo("unknown: no " + confDir.resolve("config.yaml"));
    }
}
