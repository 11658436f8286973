package io.vigil.harness.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CorpusRunTest {

    @Test
    void aFileIsNamedFromTheRootWhetherEitherPathIsRelativeOrAbsolute() {
        Path cwd = Path.of("").toAbsolutePath();
        Path relative = Path.of("data", "valve1", "0.csv");
        assertThat(CorpusRun.nameOf(cwd.resolve("data"), relative)).isEqualTo("valve1/0.csv");
        assertThat(CorpusRun.nameOf(Path.of("data"), cwd.resolve(relative))).isEqualTo("valve1/0.csv");
        assertThat(CorpusRun.nameOf(Path.of("data", "..", "data"), relative)).isEqualTo("valve1/0.csv");
    }
}
