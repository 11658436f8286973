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
    private final float[][] w; // [nIn][4H]
    private final float[][] rw; // [H][4H]
    private final float[] b; // [4H]
    private final float[][] wOut; // [H][nOut]
    private final float[] bOut; // [nOut]
    private final Activation cellActivation;
    private final Activation gateActivation;
    private final Activation outActivation;

    private NativeLstm(
            int nIn,
            int hidden,
            int nOut,
            float[][] w,
            float[][] rw,
            float[] b,
            float[][] wOut,
            float[] bOut,
            Activation cellActivation,
            Activation gateActivation,
            Activation outActivation) {
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
                    "The LSTM predictor must be exactly LSTM -> RnnOutputLayer; this network has " + describe(layers));
        }
        int nIn = Math.toIntExact(lstm.getNIn());
        int hidden = Math.toIntExact(lstm.getNOut());
        int nOut = Math.toIntExact(out.getNOut());
        return new NativeLstm(
                nIn,
                hidden,
                nOut,
                Matrices.rows(layers[0].getParam("W")),
                Matrices.rows(layers[0].getParam("RW")),
                Matrices.rowMajor(layers[0].getParam("b")),
                Matrices.rows(layers[1].getParam("W")),
                Matrices.rowMajor(layers[1].getParam("b")),
                Activation.of(lstm.getActivationFn(), "LSTM layer"),
                Activation.of(lstm.getGateActivationFn(), "LSTM gates"),
                Activation.of(out.getActivationFn(), "LSTM output layer"));
    }

    static String describe(Layer[] layers) {
        StringBuilder s = new StringBuilder();
        for (Layer l : layers) {
            s.append(s.length() == 0 ? "" : " -> ")
                    .append(l.conf().getLayer().getClass().getSimpleName());
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
        return new float[Math.max(4 * hidden, nOut)];
    }

    /**
     * Advances one stream by one event: reads {@code x}, updates {@code h} and {@code c} in place and
     * writes the network's output for this step (the prediction of the next event) into {@code out}.
     */
    public void step(
            float[] x, int xOff, float[] h, int hOff, float[] c, int cOff, float[] out, int oOff, float[] gates) {
        int g4 = 4 * hidden;
        System.arraycopy(b, 0, gates, 0, g4);
        Matrices.accumulate(x, xOff, w, gates, g4);
        Matrices.accumulate(h, hOff, rw, gates, g4);
        cellActivation.apply(gates, 0, hidden);
        gateActivation.apply(gates, hidden, g4);
        for (int j = 0; j < hidden; j++) {
            c[cOff + j] = gates[hidden + j] * c[cOff + j] + gates[3 * hidden + j] * gates[j];
        }
        // the input-activation block is spent: reuse it for the activated cell state
        System.arraycopy(c, cOff, gates, 0, hidden);
        cellActivation.apply(gates, 0, hidden);
        for (int j = 0; j < hidden; j++) {
            h[hOff + j] = gates[2 * hidden + j] * gates[j];
        }
        // and the whole block for the output, then copied to its place
        System.arraycopy(bOut, 0, gates, 0, nOut);
        Matrices.accumulate(h, hOff, wOut, gates, nOut);
        outActivation.apply(gates, 0, nOut);
        System.arraycopy(gates, 0, out, oOff, nOut);
    }
}
