package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    @Test
    void keepsEachPixelsLowestAndHighestRowSoSpikesSurvive() {
        int rows = 20_000;
        int pixels = 1000;
        double[] x = new double[rows];
        double[] y = new double[rows];
        Random random = new Random(7);
        for (int i = 0; i < rows; i++) {
            x[i] = i * (double) pixels / rows;
            y[i] = random.nextGaussian();
        }
        y[12_345] = 40;
        y[777] = -40;

        int[] drawn = Downsampler.rows(x, y, 1.0);

        assertThat(drawn.length).isLessThanOrEqualTo(2 * pixels);
        assertThat(drawn).contains(12_345, 777).doesNotContain(Downsampler.GAP);
        assertThat(drawn).isSorted();
        // every bucket's drawn extremes are the bucket's true extremes
        for (int b = 0; b < pixels; b++) {
            int from = b * rows / pixels;
            int to = from + rows / pixels;
            double max = Arrays.stream(y, from, to).max().orElseThrow();
            double min = Arrays.stream(y, from, to).min().orElseThrow();
            double drawnMax = Arrays.stream(drawn).filter(r -> r >= from && r < to).mapToDouble(r -> y[r]).max().orElseThrow();
            double drawnMin = Arrays.stream(drawn).filter(r -> r >= from && r < to).mapToDouble(r -> y[r]).min().orElseThrow();
            assertThat(drawnMax).isEqualTo(max);
            assertThat(drawnMin).isEqualTo(min);
        }
        assertThat(Arrays.stream(drawn).mapToDouble(r -> y[r]).max().orElseThrow()).isEqualTo(40);
    }

    @Test
    void aShortSeriesIsDrawnWholeAndMissingValuesBreakTheLine() {
        double[] x = {0, 10, 20, 30, 40, 50};
        double[] y = {1, 2, Double.NaN, Double.NaN, 5, 6};

        assertThat(Downsampler.rows(x, y, 1.0)).containsExactly(0, 1, Downsampler.GAP, 4, 5);
        assertThat(Downsampler.rows(x, new double[] {Double.NaN, 1, 2, 3, 4, Double.NaN}, 1.0))
                .containsExactly(1, 2, 3, 4, Downsampler.GAP);
        assertThat(Downsampler.rows(new double[] {3.2, 3.4, 3.6}, new double[] {5, 5, 5}, 1.0)).containsExactly(0);
    }
}
