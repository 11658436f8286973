package io.vigil.scoring.nn;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The forward pass of a DL4J-trained stack of {@code DenseLayer}s ending in an {@code OutputLayer}
 * (the autoencoder), computed from its weights. Checked against DL4J's {@code output()} in the tests.
 */
public final class NativeDenseNet implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] sizes; // sizes[0] = input, sizes[k+1] = output of layer k
    private final float[][][] weights; // layer k: [sizes[k]][sizes[k+1]]
    private final float[][] biases;
    private final Activation[] activations;
    private final int widest;

    private NativeDenseNet(int[] sizes, float[][][] weights, float[][] biases, Activation[] activations) {
        this.sizes = sizes;
        this.weights = weights;
        this.biases = biases;
        this.activations = activations;
        int max = 0;
        for (int s : sizes) {
            max = Math.max(max, s);
        }
        this.widest = max;
    }

    public static NativeDenseNet from(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        int n = layers.length;
        boolean shapeOk = n >= 2 && layers[n - 1].conf().getLayer() instanceof OutputLayer;
        for (int k = 0; k < n - 1 && shapeOk; k++) {
            shapeOk = layers[k].conf().getLayer() instanceof DenseLayer;
        }
        if (!shapeOk) {
            throw new IllegalArgumentException("The autoencoder must be DenseLayer(s) -> OutputLayer; this network has "
                    + NativeLstm.describe(layers));
        }
        int[] sizes = new int[n + 1];
        float[][][] w = new float[n][][];
        float[][] b = new float[n][];
        Activation[] act = new Activation[n];
        for (int k = 0; k < n; k++) {
            FeedForwardLayer conf = (FeedForwardLayer) layers[k].conf().getLayer();
            sizes[k] = Math.toIntExact(conf.getNIn());
            sizes[k + 1] = Math.toIntExact(conf.getNOut());
            w[k] = Matrices.rows(layers[k].getParam("W"));
            b[k] = Matrices.rowMajor(layers[k].getParam("b"));
            act[k] = Activation.of(conf.getActivationFn(), "autoencoder layer " + k);
        }
        return new NativeDenseNet(sizes, w, b, act);
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Events one {@link #forward} pass carries through the layers together (see there). */
    static final int TILE = 16;

    /** Scratch space one caller needs for {@link #forward}. */
    public float[][][] newScratch() {
        return new float[][][] {new float[TILE][widest], new float[TILE][widest], new float[TILE][sizes[0]]};
    }

    /**
     * {@code out[k * outputSize..] = net(in[k * inputSize..])} for the {@code n} inputs laid one after
     * the other. {@link #TILE} inputs go through each layer together, so that each weight row is read
     * from memory once per tile rather than once per input: the autoencoder's weights (128 KB at the
     * default size) do not fit in a core's L1 cache, its TILE inputs' activations do.
     */
    public void forward(float[] in, int n, float[] out, float[][][] scratch) {
        int inSize = sizes[0];
        int layers = weights.length;
        int outSize = sizes[layers];
        float[][] rows = scratch[2];
        for (int t0 = 0; t0 < n; t0 += TILE) {
            int m = Math.min(TILE, n - t0);
            for (int b = 0; b < m; b++) {
                System.arraycopy(in, (t0 + b) * inSize, rows[b], 0, inSize);
            }
            float[][] src = rows;
            for (int k = 0; k < layers; k++) {
                float[][] dst = scratch[k & 1];
                int nOut = sizes[k + 1];
                for (int b = 0; b < m; b++) {
                    System.arraycopy(biases[k], 0, dst[b], 0, nOut);
                }
                Matrices.accumulate(src, m, weights[k], dst, nOut);
                for (int b = 0; b < m; b++) {
                    activations[k].apply(dst[b], 0, nOut);
                }
                src = dst;
            }
            for (int b = 0; b < m; b++) {
                System.arraycopy(src[b], 0, out, (t0 + b) * outSize, outSize);
            }
        }
    }
}
