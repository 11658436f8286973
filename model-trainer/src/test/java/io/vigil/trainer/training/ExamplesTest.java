package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class ExamplesTest {

    /** A segment of {@code rows} rows and 2 channels where row t holds (t, 100 + t). */
    private static float[] segment(int rows) {
        float[] s = new float[rows * 2];
        for (int t = 0; t < rows; t++) {
            s[2 * t] = t;
            s[2 * t + 1] = 100 + t;
        }
        return s;
    }

    @Test
    void sequencesPredictTheNextStepWithHalfOverlapAndCoverTheSegmentEnd() {
        Examples e = Examples.sequences(List.of(segment(50)), 2, 16);
        // 49 input steps: starts 0, 8, 16, 24, 32 (32 + 16 = 48 < 49), plus 33 aligned to the end
        assertThat(e.size()).isEqualTo(6);
        DataSet all = e.batch(0, e.size());
        assertThat(all.getFeatures().shape()).containsExactly(6, 2, 16);
        assertThat(all.getFeatures().getDouble(1, 0, 0)).isEqualTo(8.0);
        assertThat(all.getFeatures().getDouble(1, 1, 3)).isEqualTo(111.0);
        assertThat(all.getLabels().getDouble(1, 0, 0)).isEqualTo(9.0);
        assertThat(all.getLabels().getDouble(5, 1, 15)).isEqualTo(149.0); // the segment's last row is a target
        assertThat(all.getFeaturesMaskArray()).isNull();
    }

    @Test
    void shortSegmentsGiveOneMaskedSequenceAndTinyOnesNone() {
        Examples e = Examples.sequences(
                List.of(segment(40), segment(10), segment(TrainingConfig.MIN_SEGMENT_ROWS - 1)), 2, 32);
        assertThat(e.size()).isEqualTo(3); // 40 rows: starts 0 and 7 (end-aligned); 10 rows: one of 9 steps
        DataSet b = e.batch(new int[] {2}, 0, 1);
        assertThat(b.getFeatures().shape()).containsExactly(1, 2, 9);
        DataSet mixed = e.batch(new int[] {0, 2}, 0, 2);
        assertThat(mixed.getFeaturesMaskArray().sumNumber().intValue()).isEqualTo(32 + 9);
        assertThat(mixed.getLabelsMaskArray().getDouble(1, 8)).isEqualTo(1.0);
        assertThat(mixed.getLabelsMaskArray().getDouble(1, 9)).isEqualTo(0.0);
        assertThat(e.steps(null, 0, 3)).isEqualTo(32 + 32 + 9);
    }

    @Test
    void windowsAreFlattenedOldestToNewestTimeMajorAndSubsampled() {
        Examples e = Examples.windows(List.of(segment(10), segment(3)), 2, 4, 1000);
        assertThat(e.size()).isEqualTo(7); // 10 - 4 + 1; the 3-row segment is too short
        DataSet w = e.batch(new int[] {2}, 0, 1);
        assertThat(w.getFeatures().toFloatVector()).containsExactly(2, 102, 3, 103, 4, 104, 5, 105);
        assertThat(w.getLabels()).isEqualTo(w.getFeatures());

        Examples capped = Examples.windows(List.of(segment(1003)), 2, 4, 100);
        assertThat(capped.size()).isEqualTo(100); // 1000 windows, every 10th
        assertThat(capped.batch(new int[] {1}, 0, 1).getFeatures().getFloat(0, 0))
                .isEqualTo(10f);
    }
}
