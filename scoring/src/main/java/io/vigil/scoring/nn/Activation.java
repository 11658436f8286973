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
            case IDENTITY -> {}
            case TANH -> {
                for (int i = from; i < to; i++) {
                    v[i] = tanh(v[i]);
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

    // tanh as a [13/6] rational function on [-7.905, 7.905] (outside it, tanh is 1 to float precision):
    // Eigen's float tanh, within a few float ulps of the true value. Branch-free arithmetic with no call,
    // so the JIT vectorises a loop of it; Math.tanh is not an intrinsic on Java 17 and costs ~20x more.
    private static final float CLAMP = 7.90531110763549805f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    /** tanh(x) to within a few float ulps. */
    static float tanh(float x) {
        float c = Math.max(-CLAMP, Math.min(CLAMP, x));
        float x2 = c * c;
        float p = x2 * A13 + A11;
        p = x2 * p + A9;
        p = x2 * p + A7;
        p = x2 * p + A5;
        p = x2 * p + A3;
        p = x2 * p + A1;
        p = c * p;
        float q = x2 * B6 + B4;
        q = x2 * q + B2;
        q = x2 * q + B0;
        return p / q;
    }

    /** The logistic function, as 0.5 + 0.5 tanh(x / 2). */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }
}
