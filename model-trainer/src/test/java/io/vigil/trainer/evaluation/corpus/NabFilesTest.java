package io.vigil.trainer.evaluation.corpus;

import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabFilesTest {

    @TempDir
    Path dir;

    @Test
    void timestampsAreReadAsTheReferenceReadsThem() {
        long t = 1_397_114_100_000L; // 2014-04-10 07:15:00 UTC
        assertThat(NabFiles.parseTimestamp("2014-04-10 07:15:00.000000")).isEqualTo(t);
        assertThat(NabFiles.parseTimestamp(" 2014-04-10 07:15:00 ")).isEqualTo(t);
        assertThat(NabFiles.parseTimestamp("2014-04-10 07:15:00.750")).isEqualTo(t); // cut to 19 characters
        assertThatThrownBy(() -> NabFiles.parseTimestamp("2014-04-10T07:15:00"))
                .hasMessageContaining("not a NAB timestamp");
        assertThatThrownBy(() -> NabFiles.parseTimestamp("2014-02-30 07:15:00"))
                .hasMessageContaining("not a NAB timestamp");

        assertThat(NabFiles.formatTimestamp(t)).isEqualTo("2014-04-10 07:15:00");
        assertThat(NabFiles.formatTimestamp(t + 250)).isEqualTo("2014-04-10 07:15:00.250");
        assertThat(NabFiles.formatLabelTimestamp(t)).isEqualTo("2014-04-10 07:15:00.000000");
    }

    @Test
    void numbersAreReadAsPythonsFloatReadsThem() {
        assertThat(NabFiles.parsePythonFloat(" 0.5 ")).isEqualTo(0.5);
        assertThat(NabFiles.parsePythonFloat("1e-3")).isEqualTo(0.001);
        assertThat(NabFiles.parsePythonFloat("1.0E-5")).isEqualTo(1e-5);
        assertThat(NabFiles.parsePythonFloat("nan")).isNaN();
        assertThat(NabFiles.parsePythonFloat("NaN")).isNaN();
        assertThat(NabFiles.parsePythonFloat("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(NabFiles.parsePythonFloat("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> NabFiles.parsePythonFloat("1d")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> NabFiles.parsePythonFloat("")).hasMessageContaining("not a number");
    }

    @Test
    void writesTheNabLayout() throws Exception {
        LabelledFile f = SyntheticCorpus.file("cat/a.csv", 3, rows(1, 2)).withScores(new double[] {0.0, 0.25, 1.0});

        NabFiles.Layout layout = NabFiles.writeCorpus(dir, List.of(f), Map.of("cat/a.csv", new double[] {1.5, 2, 3}));

        assertThat(layout.labelsJson()).isEqualTo(dir.resolve("labels/combined_windows.json"));
        assertThat(new ObjectMapper().readTree(layout.labelsJson().toFile()))
                .isEqualTo(new ObjectMapper()
                        .readTree(
                                "{\"cat/a.csv\": [[\"2014-04-01 00:05:00.000000\", \"2014-04-01 00:10:00.000000\"]]}"));
        assertThat(Files.readAllLines(layout.dataDir().resolve("cat/a.csv")))
                .containsExactly(
                        "timestamp,value",
                        "2014-04-01 00:00:00,1.5",
                        "2014-04-01 00:05:00,2.0",
                        "2014-04-01 00:10:00,3.0");
        assertThat(Files.readAllLines(layout.resultsDir().resolve("cat/a.csv")))
                .containsExactly(
                        "timestamp,anomaly_score,label",
                        "2014-04-01 00:00:00,0.0,0",
                        "2014-04-01 00:05:00,0.25,1",
                        "2014-04-01 00:10:00,1.0,1");
    }

    @Test
    void aWrittenCorpusReadsBackTheSameInNameOrderAndMissingResultsAreZeros() {
        List<LabelledFile> written = SyntheticCorpus.scored(SyntheticCorpus.main(), SyntheticCorpus::noisy);
        LabelledFile noResults = SyntheticCorpus.file("zzz/none.csv", 10, rows(2, 4));
        List<LabelledFile> all = new java.util.ArrayList<>(written);
        all.add(noResults);

        NabFiles.Corpus back = NabFiles.readCorpus(NabFiles.writeCorpus(dir, all, Map.of()));

        assertThat(back.files())
                .extracting(LabelledFile::name)
                .containsExactly(
                        "other/delta.csv",
                        "synthetic/alpha.csv",
                        "synthetic/beta.csv",
                        "synthetic/gamma.csv",
                        "zzz/none.csv");
        assertThat(back.files().subList(0, 4)).containsExactlyInAnyOrderElementsOf(written);
        assertThat(back.missingResults()).containsExactly("zzz/none.csv");
        assertThat(back.files().get(4).scores()).hasSize(10).containsOnly(0.0);
        assertThat(back.files().get(4).windows()).containsExactly(rows(2, 4));
    }

    @Test
    void csvColumnsByNameWithQuotesAndBlankLines() throws Exception {
        Path csv = dir.resolve("r.csv");
        Files.writeString(
                csv,
                "timestamp,\"anomaly_score\",note,anomaly_score\n"
                        + "2014-04-01 00:00:00,0.1,\"a, b\",0.2\n\n2014-04-01 00:05:00,0.3,\"say \"\"hi\"\"\",0.4\n");
        assertThat(NabFiles.readScores(csv)).containsExactly(0.2, 0.4); // the last column of that name
        assertThat(NabFiles.readColumn(csv, "note")).containsExactly("a, b", "say \"hi\"");
        assertThat(NabFiles.readTimestamps(csv)).containsExactly(SyntheticCorpus.ts(0), SyntheticCorpus.ts(1));
        assertThatThrownBy(() -> NabFiles.readColumn(csv, "value")).hasMessageContaining("no 'value' column");
    }

    @Test
    void refusesMismatchedRowsAndNamesOutsideTheFolder() throws Exception {
        LabelledFile f = SyntheticCorpus.file("cat/a.csv", 3, rows(1, 2)).withScores(new double[3]);
        NabFiles.Layout layout = NabFiles.writeCorpus(dir, List.of(f), Map.of());
        Files.writeString(
                layout.resultsDir().resolve("cat/a.csv"), "timestamp,anomaly_score\n2014-04-01 00:00:00,0.5\n");
        assertThatThrownBy(() -> NabFiles.readCorpus(layout)).hasMessageContaining("row count differs for cat/a.csv");

        LabelledFile escaping = SyntheticCorpus.file("../a.csv", 3).withScores(new double[3]);
        assertThatThrownBy(() -> NabFiles.writeResults(dir.resolve("results"), escaping))
                .hasMessageContaining("relative path inside");
    }
}
