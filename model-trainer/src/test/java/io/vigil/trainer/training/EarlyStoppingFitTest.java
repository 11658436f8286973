package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.Normaliser;
import io.vigil.scoring.nn.Architectures;
import io.vigil.trainer.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class EarlyStoppingFitTest {

    private static final int C = 2;

    /** Normalised synthetic segments: {@code count} segments of {@code rows} rows. */
    private static List<float[]> segments(int count, int rows, long seed) {
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[][] raw = SyntheticData.values(rows, C, seed + k, 37 * k);
            Normaliser n = Normaliser.fit(raw, 0, raw.length);
            float[] flat = new float[rows * C];
            for (int t = 0; t < rows; t++) {
                n.apply(raw[t], flat, t * C);
            }
            out.add(flat);
        }
        return out;
    }

    private static ProgressListener capture(List<EpochProgress> into) {
        return into::add;
    }

    @Test
    void validationLossFallsAndTheBestEpochsParametersAreKept() {
        Examples train = Examples.sequences(segments(3, 200, 1), C, 16);
        Examples validation = Examples.sequences(segments(1, 120, 9), C, 16);
        MultiLayerNetwork net = Architectures.lstmPredictor(C, 8, 7, 1e-2);
        List<EpochProgress> progress = new ArrayList<>();

        EarlyStoppingFit.Result r = EarlyStoppingFit.fit(
                "lstm", net, train, validation, new EarlyStoppingFit.Settings(8, 8, 0.0, 8, 7), capture(progress));

        assertThat(r.epochsRun()).isEqualTo(8);
        assertThat(progress).hasSize(8);
        assertThat(progress.get(0).format())
                .matches("lstm  epoch  1/8  loss \\d+\\.\\d{4}  val \\d+\\.\\d{4}  best "
                        + "\\d+\\.\\d{4}@1  \\d+\\.\\d s/epoch  <=\\d+ s left");
        assertThat(r.bestValidationLoss()).isLessThan(r.validationLosses()[0] * 0.7);
        assertThat(r.validationLosses()[r.bestEpoch() - 1]).isEqualTo(r.bestValidationLoss());
        assertThat(EarlyStoppingFit.loss(net, validation)).isCloseTo(r.bestValidationLoss(), within(1e-6));
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestEpoch() {
        // a learning rate this high makes the validation loss bounce, so it stops improving early
        Examples train = Examples.windows(segments(2, 150, 3), C, 8, 10_000);
        Examples validation = Examples.windows(segments(1, 80, 11), C, 8, 10_000);
        MultiLayerNetwork net = Architectures.autoencoder(8 * C, new int[] {12, 3, 12}, 5, 0.2);
        int patience = 2;

        EarlyStoppingFit.Result r = EarlyStoppingFit.fit(
                "ae",
                net,
                train,
                validation,
                new EarlyStoppingFit.Settings(40, patience, 0.0, 16, 5),
                ProgressListener.silent());

        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.epochsRun()).isLessThan(40);
        assertThat(r.bestEpoch()).isEqualTo(r.epochsRun() - patience);
        double last = r.validationLosses()[r.epochsRun() - 1];
        assertThat(last).isGreaterThanOrEqualTo(r.bestValidationLoss());
        double kept = EarlyStoppingFit.loss(net, validation);
        assertThat(kept).isCloseTo(r.bestValidationLoss(), within(1e-6));
        assertThat(kept).isNotCloseTo(last, within(1e-9));
    }

    @Test
    void lossIsTheMeanSquaredErrorPerPredictedStepAlsoForMaskedSequences() {
        List<float[]> segs = segments(2, 30, 4);
        segs.add(segments(1, 12, 21).get(0)); // 11 steps: shorter than 16, padded and masked
        Examples e = Examples.sequences(segs, C, 16);
        MultiLayerNetwork net = Architectures.lstmPredictor(C, 6, 3, 1e-2);

        DataSet d = e.batch(0, e.size());
        INDArray out = net.output(d.getFeatures(), false, d.getFeaturesMaskArray(), d.getLabelsMaskArray());
        double sum = 0;
        long steps = 0;
        for (int i = 0; i < e.size(); i++) {
            for (int t = 0; t < out.size(2); t++) {
                if (d.getLabelsMaskArray() != null && d.getLabelsMaskArray().getDouble(i, t) == 0) {
                    continue;
                }
                double sq = 0;
                for (int j = 0; j < C; j++) {
                    double diff = out.getDouble(i, j, t) - d.getLabels().getDouble(i, j, t);
                    sq += diff * diff;
                }
                sum += sq / C;
                steps++;
            }
        }
        assertThat(d.getLabelsMaskArray()).isNotNull();
        assertThat(steps).isEqualTo(e.steps(null, 0, e.size()));
        assertThat(EarlyStoppingFit.loss(net, e)).isCloseTo(sum / steps, within(1e-5));
    }
}
