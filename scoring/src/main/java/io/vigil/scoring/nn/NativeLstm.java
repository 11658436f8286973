package io.vigil.scoring.nn;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One LSTM step computed directly from a DL4J-trained {@code LSTM -> RnnOutputLayer} network: the
 * same equations as DL4J's {@code LSTMHelpers} (gate blocks [input activation, forget, output,
 * input gate] in that column order, no peepholes), without DL4J's per-call overhead. The tests check
 * it against DL4J's own {@code rnnTimeStep} to within 1e-5.
 */
public final class NativeLstm implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int nIn;
    private final int hidden;
    private final int nOut;
    private final float[] w; // [nIn, 4H]
    private final float[] rw; // [H, 4H]
    private final float[] b; // [4H]
    private final float[] wOut; // [H, nOut]
    private final float[] bOut; // [nOut]
    private final Activation cellActivation;
    private final Activation gateActivation;
    private final Activation outActivation;

    private NativeLstm(int nIn, int hidden, int nOut, float[] w, float[] rw, float[] b, float[] wOut, float[] bOut,
            Activation cellActivation, Activation gateActivation, Activation outActivation) {
        this.nIn = nIn;
        this.hidden = hidden;
        this.nOut = nOut;
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.wOut = wOut;
        this.bOut = bOut;
        this.cellActivation = cellActivation;
        this.gateActivation = gateActivation;
        this.outActivation = outActivation;
    }

    /** Reads the weights of a two-layer {@code LSTM -> RnnOutputLayer} network. */
    public static NativeLstm from(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        if (layers.length != 2
                || !(layers[0].conf().getLayer() instanceof LSTM lstm)
                || !(layers[1].conf().getLayer() instanceof RnnOutputLayer out)) {
            throw new IllegalArgumentException(
                    "The LSTM predictor must be exactly LSTM -> RnnOutputLayer; this network has "
                            + describe(layers));
        }
        int nIn = Math.toIntExact(lstm.getNIn());
        int hidden = Math.toIntExact(lstm.getNOut());
        int nOut = Math.toIntExact(out.getNOut());
        return new NativeLstm(nIn, hidden, nOut,
                Matrices.rowMajor(layers[0].getParam("W")),
                Matrices.rowMajor(layers[0].getParam("RW")),
                Matrices.rowMajor(layers[0].getParam("b")),
                Matrices.rowMajor(layers[1].getParam("W")),
                Matrices.rowMajor(layers[1].getParam("b")),
                Activation.of(lstm.getActivationFn(), "LSTM layer"),
                Activation.of(lstm.getGateActivationFn(), "LSTM gates"),
                Activation.of(out.getActivationFn(), "LSTM output layer"));
    }

    static String describe(Layer[] layers) {
        StringBuilder s = new StringBuilder();
        for (Layer l : layers) {
            s.append(s.length() == 0 ? "" : " -> ").append(l.conf().getLayer().getClass().getSimpleName());
        }
        return s.toString();
    }

    public int inputSize() {
        return nIn;
    }

    public int hiddenSize() {
        return hidden;
    }

    public int outputSize() {
        return nOut;
    }

    /** Scratch space one caller needs for {@link #step}. */
    public float[] newScratch() {
        return new float[4 * hidden];
    }

    /**
     * Advances one stream by one event: reads {@code x}, updates {@code h} and {@code c} in place and
     * writes the network's output for this step (the prediction of the next event) into {@code out}.
     */
    public void step(float[] x, int xOff, float[] h, int hOff, float[] c, int cOff, float[] out, int oOff,
            float[] gates) {
        int g4 = 4 * hidden;
        System.arraycopy(b, 0, gates, 0, g4);
        Matrices.accumulate(x, xOff, nIn, w, g4, gates, 0);
        Matrices.accumulate(h, hOff, hidden, rw, g4, gates, 0);
        cellActivation.apply(gates, 0, hidden);
        gateActivation.apply(gates, hidden, g4);
        for (int j = 0; j < hidden; j++) {
            float a = gates[j];
            float f = gates[hidden + j];
            float o = gates[2 * hidden + j];
            float i = gates[3 * hidden + j];
            float cell = f * c[cOff + j] + i * a;
            c[cOff + j] = cell;
            h[hOff + j] = o * activate(cellActivation, cell);
        }
        System.arraycopy(bOut, 0, out, oOff, nOut);
        Matrices.accumulate(h, hOff, hidden, wOut, nOut, out, oOff);
        outActivation.apply(out, oOff, oOff + nOut);
    }

    private static float activate(Activation a, float v) {
        return switch (a) {
            case IDENTITY -> v;
            case TANH -> (float) Math.tanh(v);
            case SIGMOID -> Activation.sigmoid(v);
            case RELU -> Math.max(0f, v);
        };
    }
}
