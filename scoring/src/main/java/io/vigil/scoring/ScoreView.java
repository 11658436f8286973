package io.vigil.scoring;

/**
 * The result of scoring one event, as seen by a {@link Scorer.ResultSink}. It is a view over the
 * scorer's buffers, valid only during the callback: copy what you keep.
 */
public interface ScoreView {

    /** True once the key's window is full: both models produced an error for this event. */
    boolean scored();

    /** True once the key has also passed its warm-up; only warm keys may alert. */
    boolean warm();

    /** Combined calibrated score in [0, 1] (0 while not scored). */
    double score();

    /** The threshold this event's score was compared with (per key and event with a dynamic threshold). */
    double threshold();

    /** {@code quantile} (fixed) or {@code pot} (dynamic). */
    String thresholdKind();

    /** Warm and at or above the threshold. */
    boolean anomalous();

    /** Raw LSTM next-step error (mean squared, normalised units) for this event. */
    double lstmError();

    /** Raw autoencoder reconstruction error (mean squared over the error span, normalised units). */
    double aeError();

    /** LSTM error in standard deviations of this key's own distribution. */
    double lstmZ();

    /** Autoencoder error in standard deviations of this key's own distribution. */
    double aeZ();

    /** z-score the threshold corresponds to. */
    double thresholdZ();

    /** Which models were over the threshold: "LSTM", "AUTOENCODER", "BOTH" (or "NONE"). */
    String firedBy();

    /** The model that scored the event. */
    String modelId();

    String modelVersion();

    FeatureSpec features();

    /** LSTM's expected value of channel j, in the channel's own units. */
    double expected(int j);

    /** The value of channel j that arrived. */
    double actual(int j);

    /** Channel j's share of the error, in [0, 1]; the shares sum to 1. */
    double contribution(int j);
}
