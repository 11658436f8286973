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
            throw new IllegalArgumentException(
                    "The autoencoder must be DenseLayer(s) -> OutputLayer; this network has " + NativeLstm.describe(layers));
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

    /** Two buffers of the widest layer, for {@link #forward}. */
    public float[][] newScratch() {
        return new float[][] {new float[widest], new float[widest]};
    }

    /** {@code out[oOff..] = net(in[iOff..])}. */
    public void forward(float[] in, int iOff, float[] out, int oOff, float[][] scratch) {
        float[] src = in;
        int srcOff = iOff;
        int layers = weights.length;
        float[] dst = null;
        for (int k = 0; k < layers; k++) {
            dst = scratch[k & 1];
            int nOut = sizes[k + 1];
            System.arraycopy(biases[k], 0, dst, 0, nOut);
            Matrices.accumulate(src, srcOff, weights[k], dst, nOut);
            activations[k].apply(dst, 0, nOut);
            src = dst;
            srcOff = 0;
        }
        System.arraycopy(dst, 0, out, oOff, sizes[layers]);
    }
}
