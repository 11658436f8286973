package io.vigil.scoring.engine;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the DL4J networks themselves: the streams' (h, c) are stacked into one {@code rnnTimeStep}
 * call and the windows into one {@code output} call. Holds its own copies of the networks, because
 * {@code rnnTimeStep} keeps state inside the layer and must not be shared between threads.
 */
public final class Dl4jEngine implements InferenceEngine {

    private static final String PREV_ACTIVATION = "prevAct";
    private static final String PREV_MEMORY = "prevMem";

    private final MultiLayerNetwork lstm;
    private final MultiLayerNetwork autoencoder;
    private final int in;
    private final int hidden;

    public Dl4jEngine(MultiLayerNetwork lstm, MultiLayerNetwork autoencoder) {
        this.lstm = lstm.clone();
        this.autoencoder = autoencoder.clone();
        this.in = Math.toIntExact(this.lstm.layerInputSize(0));
        this.hidden = Math.toIntExact(this.lstm.layerSize(0));
    }

    @Override
    public void lstmStep(int n, float[] x, float[] h, float[] c, float[] next) {
        Map<String, INDArray> state = new HashMap<>();
        state.put(PREV_ACTIVATION, Nd4j.create(slice(h, n * hidden), new long[] {n, hidden}, 'c'));
        state.put(PREV_MEMORY, Nd4j.create(slice(c, n * hidden), new long[] {n, hidden}, 'c'));
        lstm.rnnSetPreviousState(0, state);
        INDArray out = lstm.rnnTimeStep(Nd4j.create(slice(x, n * in), new long[] {n, in}, 'c'));
        copy(out, next);
        Map<String, INDArray> after = lstm.rnnGetPreviousState(0);
        copy(after.get(PREV_ACTIVATION), h);
        copy(after.get(PREV_MEMORY), c);
        lstm.rnnClearPreviousState();
    }

    @Override
    public void reconstruct(int n, float[] windows, float[] out) {
        int size = Math.toIntExact(autoencoder.layerInputSize(0));
        INDArray result = autoencoder.output(Nd4j.create(slice(windows, n * size), new long[] {n, size}, 'c'));
        copy(result, out);
    }

    private static float[] slice(float[] a, int length) {
        if (a.length == length) {
            return a;
        }
        float[] s = new float[length];
        System.arraycopy(a, 0, s, 0, length);
        return s;
    }

    private static void copy(INDArray from, float[] to) {
        float[] values = from.castTo(DataType.FLOAT).dup('c').data().asFloat();
        System.arraycopy(values, 0, to, 0, Math.toIntExact(from.length()));
    }
}
