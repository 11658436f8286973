package io.vigil.scoring.engine;

import io.vigil.scoring.nn.NativeDenseNet;
import io.vigil.scoring.nn.NativeLstm;

/** The default engine: plain-Java forward passes over the DL4J-trained weights, no per-call overhead. */
public final class NativeEngine implements InferenceEngine {

    private final NativeLstm lstm;
    private final NativeDenseNet autoencoder;
    private final float[] gates;
    private final float[][][] scratch;

    public NativeEngine(NativeLstm lstm, NativeDenseNet autoencoder) {
        this.lstm = lstm;
        this.autoencoder = autoencoder;
        this.gates = lstm.newScratch();
        this.scratch = autoencoder.newScratch();
    }

    @Override
    public void lstmStep(int n, float[] x, float[] h, float[] c, float[] next) {
        int in = lstm.inputSize();
        int hid = lstm.hiddenSize();
        int out = lstm.outputSize();
        for (int k = 0; k < n; k++) {
            lstm.step(x, k * in, h, k * hid, c, k * hid, next, k * out, gates);
        }
    }

    @Override
    public void reconstruct(int n, float[] windows, float[] out) {
        autoencoder.forward(windows, n, out, scratch);
    }
}
