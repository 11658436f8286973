package io.vigil.scoring;

/**
 * The result of scoring one event, as seen by a {@link Scorer.ResultSink}. It is a view over the
 * scorer's buffers, valid only during the callback: copy what you keep.
 */
public interface ScoreView {

    /** True once the key's window is full: both networks produced an error for this event. */
    boolean scored();

    /** True once the key has also passed its warm-up; only warm keys may alert. */
    boolean warm();

    /** The score in [0, 1) ({@link Surprise#score} of {@link #surprise}); 0 while not scored. */
    double score();

    /** The raw measure: {@code -log10} of the tail probability of the event's evidence under the key's recent behaviour. */
    double surprise();

    /** The same against the key's normal behaviour (what it did while no alert was open). */
    double normalSurprise();

    /** {@code ln} of the event's evidence: its largest error relative to the channel's typical error. */
    double evidence();

    /** The alert threshold as a score. */
    double threshold();

    /** The alert threshold as a surprise: one event this surprising opens an alert. */
    double thresholdSurprise();

    /** Whether an alert of this key is open after this event. */
    boolean anomalous();

    /** What this event did to the key's alert. */
    AlertLifecycle.Transition transition();

    /** The severity of the key's alert (meaningful while one is open or resolving). */
    AlertLifecycle.Severity severity();

    /** LSTM next-step error of this event: mean squared, standardised units. */
    double lstmError();

    /** Autoencoder error at the key's latest reconstruction: mean squared over the error span, standardised units. */
    double aeError();

    /** Which network's errors made the evidence: "LSTM", "AUTOENCODER" or "BOTH". */
    String firedBy();

    /** The model that scored the event. */
    String modelId();

    String modelVersion();

    FeatureSpec features();

    /** LSTM's expected value of channel j, in the channel's own units. */
    double expected(int j);

    /** The value of channel j that arrived. */
    double actual(int j);

    /** Channel j's share of the evidence, in [0, 1]; the shares sum to 1. */
    double contribution(int j);
}
