package io.vigil.trainer.evaluation.corpus;

import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.rows;
import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledFileTest {

    @Test
    void windowsAreTheRunsOfTrueLabels() {
        boolean[] labels = {false, true, true, false, true, false, false, true};
        assertThat(LabelledFile.windowsFromLabels(SyntheticCorpus.timestamps(8), labels))
                .containsExactly(rows(1, 2), rows(4, 4), rows(7, 7));
        assertThat(LabelledFile.windowsFromLabels(SyntheticCorpus.timestamps(3), new boolean[3]))
                .isEmpty();
    }

    @Test
    void labelsAreTheRowsInsideSomeWindow() {
        List<Window> windows = List.of(rows(1, 2), new Window(ts(4) + 1, ts(6) - 1), rows(7, 7));
        assertThat(LabelledFile.labelsFromWindows(SyntheticCorpus.timestamps(8), windows))
                .containsExactly(false, true, true, false, false, true, false, true);
    }

    @Test
    void theMissingFormOfTheGroundTruthIsDerivedAndTheGivenOnesKept() {
        LabelledFile nab = LabelledFile.ofWindows("a.csv", SyntheticCorpus.timestamps(6), List.of(rows(2, 3)));
        assertThat(nab.labels()).containsExactly(false, false, true, true, false, false);
        assertThat(nab.scores()).isNull();
        assertThat(nab.predicted()).isNull();

        LabelledFile skab =
                LabelledFile.ofLabels("b.csv", SyntheticCorpus.timestamps(4), new boolean[] {true, false, true, true});
        assertThat(skab.windows()).containsExactly(rows(0, 0), rows(2, 3));

        // windows keep their listed order (NAB opens them in that order)
        LabelledFile both = new LabelledFile(
                "c.csv", SyntheticCorpus.timestamps(6), new boolean[6], List.of(rows(4, 5), rows(0, 1)), null, null);
        assertThat(both.windows()).containsExactly(rows(4, 5), rows(0, 1));
        assertThat(both.labels()).containsOnly(false);
        assertThat(both.windowRows()).containsExactly(new int[] {4, 5}, new int[] {0, 1});
    }

    @Test
    void arraysAreCopiedInAndOutAndEqualityIsByContent() {
        double[] scores = {0.1, 0.2, 0.3};
        long[] t = SyntheticCorpus.timestamps(3);
        LabelledFile f = LabelledFile.ofWindows("a.csv", t, List.of()).withScores(scores);
        scores[0] = 9;
        t[0] = 9;
        f.scores()[1] = 9;
        f.timestamps()[1] = 9;

        assertThat(f.scores()).containsExactly(0.1, 0.2, 0.3);
        assertThat(f.timestamps()).containsExactly(ts(0), ts(1), ts(2));
        assertThat(f)
                .isEqualTo(LabelledFile.ofWindows("a.csv", SyntheticCorpus.timestamps(3), List.of())
                        .withScores(new double[] {0.1, 0.2, 0.3}));
        assertThat(f).isNotEqualTo(f.withScores(new double[] {0.1, 0.2, 0.4}));
        assertThat(f.predictedAt(0.2)).containsExactly(false, true, true);
        assertThat(f.toString()).isEqualTo("LabelledFile[a.csv, 3 rows, 0 windows, scores]");
    }

    @Test
    void refusesInconsistentInput() {
        long[] t = SyntheticCorpus.timestamps(3);
        assertThatThrownBy(() -> new LabelledFile("a.csv", t, null, null, null, null))
                .hasMessageContaining("labels or windows");
        assertThatThrownBy(() -> LabelledFile.ofLabels("a.csv", t, new boolean[2]))
                .hasMessageContaining("2 labels for 3 rows");
        assertThatThrownBy(
                        () -> LabelledFile.ofLabels("a.csv", t, new boolean[3]).withScores(new double[4]))
                .hasMessageContaining("4 scores for 3 rows");
        assertThatThrownBy(() -> new Window(ts(2), ts(1))).hasMessageContaining("ends before it starts");
    }
}
