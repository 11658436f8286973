package io.vigil.scoring.nn;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The two DL4J network shapes Vigil trains and serves. They live beside the native forward pass
 * because it implements exactly these shapes; a change here needs a matching change there (the
 * native-vs-DL4J tests catch a mismatch).
 */
public final class Architectures {

    private Architectures() {}

    /** Next-step predictor: C channels -> LSTM(hidden, tanh, sigmoid gates) -> C channels (identity, MSE). */
    public static MultiLayerNetwork lstmPredictor(int channels, int hidden, long seed, double learningRate) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .list()
                .layer(new LSTM.Builder()
                        .nIn(channels)
                        .nOut(hidden)
                        .activation(new ActivationTanH())
                        .gateActivationFunction(new ActivationSigmoid())
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(hidden)
                        .nOut(channels)
                        .activation(new ActivationIdentity())
                        .build())
                .setInputType(InputType.recurrent(channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Dense autoencoder over a flattened window: input -> hidden... (tanh) -> input (identity, MSE). */
    public static MultiLayerNetwork autoencoder(int inputSize, int[] hidden, long seed, double learningRate) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("The autoencoder needs at least one hidden layer");
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .list();
        int in = inputSize;
        for (int size : hidden) {
            list.layer(new DenseLayer.Builder()
                    .nIn(in)
                    .nOut(size)
                    .activation(new ActivationTanH())
                    .build());
            in = size;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(in)
                .nOut(inputSize)
                .activation(new ActivationIdentity())
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}
