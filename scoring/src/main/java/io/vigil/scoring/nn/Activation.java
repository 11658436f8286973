package io.vigil.scoring.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/** The activation functions the native forward pass implements, matched to DL4J's definitions. */
public enum Activation {
    IDENTITY,
    TANH,
    SIGMOID,
    RELU;

    /** Maps a DL4J activation; anything else is refused so a model is never scored wrongly. */
    public static Activation of(IActivation fn, String where) {
        if (fn instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (fn instanceof ActivationTanH) {
            return TANH;
        }
        if (fn instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        if (fn instanceof ActivationReLU) {
            return RELU;
        }
        throw new IllegalArgumentException(
                where + " uses activation " + fn + "; the native scorer supports identity, tanh, sigmoid and relu");
    }

    /** Applies the activation in place to {@code v[from, to)}. */
    public void apply(float[] v, int from, int to) {
        switch (this) {
            case IDENTITY -> { }
            case TANH -> {
                for (int i = from; i < to; i++) {
                    v[i] = (float) Math.tanh(v[i]);
                }
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) {
                    v[i] = sigmoid(v[i]);
                }
            }
            case RELU -> {
                for (int i = from; i < to; i++) {
                    v[i] = Math.max(0f, v[i]);
                }
            }
            default -> throw new AssertionError(this);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
