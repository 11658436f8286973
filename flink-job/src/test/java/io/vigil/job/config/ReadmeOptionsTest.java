package io.vigil.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** The README's configuration reference names every option the job has, with its default. */
class ReadmeOptionsTest {

    @Test
    void everyOptionIsInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption<?> option : VigilOptions.ALL) {
            assertThat(readme).as("README row of %s", option.key()).contains("| `" + option.key() + "` |");
            if (option.hasDefaultValue() && option.defaultValue() instanceof Integer i) {
                assertThat(readme)
                        .as("README default of %s", option.key())
                        .contains("| `" + option.key() + "` | `" + i + "` |");
            }
        }
    }
}
