package io.vigil.trainer.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.trainer.evaluation.Confusion;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkabMetricsTest {

    /**
     * File 1, 410 rows, scored rows 400-409: labels 403-407, predicted 402 404 405 406 409
     * -> TP 404 405 406, FP 402 409, FN 403 407, TN 400 401 408.
     * File 2, 405 rows, scored rows 400-404: labels 400-401, predicted 401 403
     * -> TP 401, FP 403, FN 400, TN 402 404.
     * Both have labels and predictions in their first 400 rows, which must not count.
     */
    private static List<LabelledFile> corpus() {
        boolean[] l1 = new boolean[410];
        boolean[] p1 = new boolean[410];
        double[] s1 = new double[410];
        for (int i = 403; i <= 407; i++) {
            l1[i] = true;
        }
        for (int i : new int[] {402, 404, 405, 406, 409}) {
            p1[i] = true;
            s1[i] = 0.9;
        }
        s1[409] = 0.6;
        l1[20] = true;
        p1[10] = true;
        p1[20] = true;
        s1[10] = 0.95;
        boolean[] l2 = new boolean[405];
        boolean[] p2 = new boolean[405];
        double[] s2 = new double[405];
        l2[400] = true;
        l2[401] = true;
        p2[401] = true;
        p2[403] = true;
        s2[401] = 0.9;
        s2[403] = 0.6;
        p2[0] = true;
        s2[0] = 1.0;
        return List.of(
                LabelledFile.ofLabels("valve1/1.csv", SyntheticCorpus.timestamps(410), l1)
                        .withPredicted(p1)
                        .withScores(s1),
                LabelledFile.ofLabels("valve1/2.csv", SyntheticCorpus.timestamps(405), l2)
                        .withPredicted(p2)
                        .withScores(s2));
    }

    @Test
    void perRowMetricsOverTheScoredRowsOfAllFiles() {
        SkabMetrics m = SkabMetrics.ofPredictions(corpus(), SkabMetrics.SKAB_FIRST_SCORED_ROW);

        assertThat(m.confusion()).isEqualTo(new Confusion(4, 3, 3, 5));
        assertThat(m.files())
                .containsExactly(
                        new SkabMetrics.FileConfusion("valve1/1.csv", new Confusion(3, 2, 2, 3)),
                        new SkabMetrics.FileConfusion("valve1/2.csv", new Confusion(1, 1, 1, 2)));
        assertThat(m.f1()).isCloseTo(4 / (4 + (3 + 3) / 2.0), within(1e-12));
        assertThat(m.farPercent()).isCloseTo(37.5, within(1e-12));
        assertThat(m.marPercent()).isCloseTo(100 * 3 / 7.0, within(1e-12));
    }

    @Test
    void fromScoresAtAThreshold() {
        SkabMetrics same = SkabMetrics.atThreshold(corpus(), 400, 0.5);
        assertThat(same.confusion()).isEqualTo(new Confusion(4, 3, 3, 5));

        // at 0.7 the two 0.6 rows (file 1 row 409, file 2 row 403, both false positives) drop out
        SkabMetrics stricter = SkabMetrics.atThreshold(corpus(), 400, 0.7);
        assertThat(stricter.confusion()).isEqualTo(new Confusion(4, 1, 3, 7));
        assertThat(stricter.f1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(stricter.farPercent()).isCloseTo(12.5, within(1e-12));
        assertThat(stricter.marPercent()).isCloseTo(100 * 3 / 7.0, within(1e-12));
    }

    @Test
    void theFirstScoredRowMovesTheCountsAndShortFilesCountNothing() {
        // from row 0, file 1 adds an FP at 10 and a TP at 20 (label and prediction), file 2 an FP at 0;
        // TN = 410 + 405 rows - 13 others
        SkabMetrics all = SkabMetrics.ofPredictions(corpus(), 0);
        assertThat(all.confusion()).isEqualTo(new Confusion(5, 5, 3, 802));

        SkabMetrics none = SkabMetrics.ofPredictions(corpus(), 500);
        assertThat(none.confusion()).isEqualTo(new Confusion(0, 0, 0, 0));
        assertThat(none.f1()).isZero();
    }

    @Test
    void needsPredictionsOrScores() {
        LabelledFile bare = LabelledFile.ofLabels("x.csv", SyntheticCorpus.timestamps(3), new boolean[3]);
        assertThatThrownBy(() -> SkabMetrics.ofPredictions(List.of(bare), 0))
                .hasMessageContaining("no binary predictions");
        assertThatThrownBy(() -> SkabMetrics.atThreshold(List.of(bare), 0, 0.5)).hasMessageContaining("no scores");
    }
}
