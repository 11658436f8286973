package io.vigil.harness.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusRunTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsNamedFromTheRootWhetherEitherPathIsRelativeOrAbsolute() {
        Path cwd = Path.of("").toAbsolutePath();
        Path relative = Path.of("data", "valve1", "0.csv");
        assertThat(CorpusRun.nameOf(cwd.resolve("data"), relative)).isEqualTo("valve1/0.csv");
        assertThat(CorpusRun.nameOf(Path.of("data"), cwd.resolve(relative))).isEqualTo("valve1/0.csv");
        assertThat(CorpusRun.nameOf(Path.of("data", "..", "data"), relative)).isEqualTo("valve1/0.csv");
    }

    @Test
    void rowsAreReadInFileOrderWithRepeatedAndOutOfOrderTimestampsKept() throws Exception {
        Path f = file(
                "cat/a.csv",
                "timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n"
                        + "2014-01-01 00:05:00,3\n2014-01-01 00:00:00,4\n2014-03-01 00:00:00,5\n");
        Path labels = labels("{\"cat/a.csv\": [[\"2014-01-01 00:05:00.000000\", \"2014-03-01 00:00:00.000000\"]]}");
        List<EntitySeries> read = CorpusRun.read(options(List.of(f), labels));
        assertThat(read).hasSize(1);
        assertThat(java.util.Arrays.stream(read.get(0).values())
                        .mapToDouble(v -> v[0])
                        .toArray())
                .containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(read.get(0).entity()).isEqualTo("cat/a.csv");
    }

    @Test
    void aLabelFileThatNamesNoScoredFileFailsBeforeTrainingSayingWhatWasExpected() throws Exception {
        Path f = file("cat/a.csv", "timestamp,value\n2014-01-01 00:00:00,1\n");
        Path labels = labels("{\"data/cat/a.csv\": []}");
        assertThatThrownBy(() -> CorpusRun.read(options(List.of(f), labels)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names none of the 1 files to score")
                .hasMessageContaining("keys like 'data/cat/a.csv'")
                .hasMessageContaining("files like 'cat/a.csv'")
                .hasMessageContaining("relative to " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("--root");
    }

    @Test
    void aLabelFileMissingAScoredFileOrNamingAnotherFailsNamingThem() throws Exception {
        Path a = file("cat/a.csv", "timestamp,value\n2014-01-01 00:00:00,1\n");
        Path b = file("cat/b.csv", "timestamp,value\n2014-01-01 00:00:00,1\n");
        Path missing = labels("{\"cat/a.csv\": []}");
        assertThatThrownBy(() -> CorpusRun.read(options(List.of(a, b), missing)))
                .hasMessageContaining("has no entry for 1 corpus file(s): [cat/b.csv]");
        Path extra = labels("{\"cat/a.csv\": [], \"cat/b.csv\": [], \"cat/c.csv\": []}");
        assertThatThrownBy(() -> CorpusRun.read(options(List.of(a, b), extra)))
                .hasMessageContaining("names 1 file(s) that are not in the corpus: [cat/c.csv]");
    }

    @Test
    void aWindowThatDoesNotStartAtARowsTimestampFailsAsNabsScorerWould() throws Exception {
        Path f = file("cat/a.csv", "timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n");
        Path labels = labels("{\"cat/a.csv\": [[\"2014-01-01 00:01:00.000000\", \"2014-01-01 00:05:00.000000\"]]}");
        assertThatThrownBy(() -> CorpusRun.read(options(List.of(f), labels)))
                .hasMessageContaining(
                        "the window [2014-01-01 00:01:00.000000, 2014-01-01 00:05:00.000000] of cat/a.csv")
                .hasMessageContaining("must start and end at timestamps of the file's rows");
    }

    @Test
    void rowsTravelWithEventTimesByPositionAndComeBackToTheirRows() {
        assertThat(CorpusRun.rowOf(CorpusRun.streamTime(0))).isZero();
        assertThat(CorpusRun.rowOf(CorpusRun.streamTime(4_030))).isEqualTo(4_030);
        assertThat(CorpusRun.streamTime(2) - CorpusRun.streamTime(1)).isEqualTo(CorpusRun.STEP);
    }

    private Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    private Path labels(String json) throws Exception {
        return Files.writeString(dir.resolve("labels.json"), json);
    }

    private CorpusOptions options(List<Path> files, Path labels) {
        return new CorpusOptions(
                files,
                dir,
                HistoryOptions.defaults().withLabelColumn(HistoryOptions.NO_LABEL),
                labels,
                0,
                CorpusOptions.NAB_FIT_FRACTION,
                CorpusOptions.NAB_FIT_MAX_ROWS,
                List.of(),
                0,
                TrainingConfig.builder().build(),
                Map.of(),
                32,
                dir.resolve("out"));
    }
}
