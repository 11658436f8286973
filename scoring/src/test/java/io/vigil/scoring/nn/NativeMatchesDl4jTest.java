package io.vigil.scoring.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.TestModels;
import io.vigil.scoring.engine.Dl4jEngine;
import io.vigil.scoring.engine.NativeEngine;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The native forward passes must reproduce DL4J's outputs to within 1e-5 on the same inputs. */
class NativeMatchesDl4jTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void lstmStepsMatchDl4jOutputOverWholeSequences() {
        int channels = 5;
        int hidden = 24;
        int streams = 3;
        int steps = 40;
        MultiLayerNetwork net = TestModels.randomLstm(channels, hidden, 7);
        NativeLstm lstm = NativeLstm.from(net);
        float[][][] input = randomSequences(streams, channels, steps, 11);

        INDArray seq = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, streams, channels, steps);
        for (int s = 0; s < streams; s++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < channels; j++) {
                    seq.putScalar(new int[] {s, j, t}, input[s][t][j]);
                }
            }
        }
        INDArray expected = net.output(seq); // [streams, channels, steps]

        float[] gates = lstm.newScratch();
        double maxDiff = 0;
        for (int s = 0; s < streams; s++) {
            float[] h = new float[hidden];
            float[] c = new float[hidden];
            float[] out = new float[channels];
            for (int t = 0; t < steps; t++) {
                lstm.step(input[s][t], 0, h, 0, c, 0, out, 0, gates);
                for (int j = 0; j < channels; j++) {
                    double d = Math.abs(out[j] - expected.getDouble(s, j, t));
                    maxDiff = Math.max(maxDiff, d);
                }
            }
        }
        assertThat(maxDiff).isLessThan(TOLERANCE);
    }

    @Test
    void autoencoderMatchesDl4jOutput() {
        int size = 48;
        MultiLayerNetwork net = TestModels.randomAutoencoder(size, 3);
        NativeDenseNet ae = NativeDenseNet.from(net);
        Random r = new Random(5);
        int rows = 37; // two full tiles of events and a partial one
        float[] in = new float[rows * size];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian();
        }
        INDArray expected = net.output(Nd4j.create(in, new long[] {rows, size}, 'c'));
        float[] out = new float[rows * size];
        ae.forward(in, rows, out, ae.newScratch());
        double maxDiff = 0;
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < size; j++) {
                maxDiff = Math.max(maxDiff, Math.abs(out[row * size + j] - expected.getDouble(row, j)));
            }
        }
        assertThat(maxDiff).isLessThan(TOLERANCE);
    }

    @Test
    void batchedDl4jEngineWithStackedStatesMatchesNativeEngine() {
        int channels = 4;
        int hidden = 16;
        int window = 6;
        int streams = 9;
        MultiLayerNetwork lstm = TestModels.randomLstm(channels, hidden, 21);
        MultiLayerNetwork ae = TestModels.randomAutoencoder(window * channels, 22);
        var nat = new NativeEngine(NativeLstm.from(lstm), NativeDenseNet.from(ae));
        var dl4j = new Dl4jEngine(lstm, ae);
        Random r = new Random(9);
        float[] h1 = new float[streams * hidden];
        float[] c1 = new float[streams * hidden];
        for (int i = 0; i < h1.length; i++) {
            h1[i] = (float) (r.nextGaussian() * 0.3); // every stream starts from its own state
            c1[i] = (float) (r.nextGaussian() * 0.3);
        }
        float[] h2 = h1.clone();
        float[] c2 = c1.clone();
        float[] next1 = new float[streams * channels];
        float[] next2 = new float[streams * channels];
        for (int step = 0; step < 5; step++) {
            float[] x = new float[streams * channels];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            nat.lstmStep(streams, x, h1, c1, next1);
            dl4j.lstmStep(streams, x, h2, c2, next2);
        }
        assertMatch(h1, h2);
        assertMatch(c1, c2);
        assertMatch(next1, next2);

        float[] windows = new float[streams * window * channels];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = (float) r.nextGaussian();
        }
        float[] out1 = new float[windows.length];
        float[] out2 = new float[windows.length];
        nat.reconstruct(streams, windows, out1);
        dl4j.reconstruct(streams, windows, out2);
        assertMatch(out1, out2);
    }

    private static void assertMatch(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(b[i], within(TOLERANCE));
        }
    }

    private static float[][][] randomSequences(int streams, int channels, int steps, long seed) {
        Random r = new Random(seed);
        float[][][] out = new float[streams][steps][channels];
        for (float[][] s : out) {
            for (float[] t : s) {
                for (int j = 0; j < channels; j++) {
                    t[j] = (float) r.nextGaussian();
                }
            }
        }
        return out;
    }
}
