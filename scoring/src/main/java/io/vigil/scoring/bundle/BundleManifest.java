package io.vigil.scoring.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Everything a bundle says about itself, stored as {@code manifest.json}. The networks are separate
 * files named in {@link #files}, each with its SHA-256; the manifest's own SHA-256 is what a model
 * announcement carries.
 *
 * @param formatVersion the bundle layout version; readers refuse versions they do not know
 * @param modelId a stable name for the model (one per kind of stream or fleet)
 * @param version this bundle's version; bundles are immutable, a retrain is a new version
 * @param streamKind {@code SENSOR} or {@code TRANSACTION}
 * @param features channel names in the order the networks expect them
 * @param windowLength W: vectors per autoencoder window, and events before a key is scored
 * @param sequenceLength the LSTM's training sequence length (informational: serving steps once per event)
 * @param keyModels per-key (or key group) sub-bundles: key to relative directory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        int formatVersion,
        String modelId,
        String version,
        String createdAt,
        String streamKind,
        List<String> features,
        int windowLength,
        int sequenceLength,
        NormaliserSpec normaliser,
        String lstmFile,
        String autoencoderFile,
        ScoringSpec scoring,
        ThresholdSpec threshold,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, String> keyModels,
        Map<String, String> files) {

    /** The layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    public static final String MANIFEST_FILE = "manifest.json";

    /** Per-channel standardisation fitted on the training part. */
    public record NormaliserSpec(double[] mean, double[] std) {}

    /**
     * How raw model errors become a calibrated score.
     *
     * @param smoothing EWMA weight of the newest error (1 = no smoothing)
     * @param aeErrorSpan how many of the window's newest vectors the reconstruction error averages
     * @param lstmPrior distribution of log(smoothed LSTM error) on validation data
     * @param aePrior distribution of log(smoothed autoencoder error) on validation data
     * @param statsAlpha per-key adaptation rate of the error statistics once warm
     * @param priorWeight how many events the global prior counts for when a key starts
     * @param warmupEvents events after the first full window before a key may alert
     */
    public record ScoringSpec(
            double smoothing,
            int aeErrorSpan,
            ErrorPrior lstmPrior,
            ErrorPrior aePrior,
            double statsAlpha,
            int priorWeight,
            int warmupEvents) {}

    /** Mean and standard deviation of a log error. */
    public record ErrorPrior(double mean, double std) {}

    /**
     * The alerting threshold on the combined score.
     *
     * @param kind {@code quantile} (calibrated on validation data) or {@code fixed}
     * @param quantile the validation quantile the value was taken at
     * @param value the threshold on the score in [0, 1]
     */
    public record ThresholdSpec(String kind, double quantile, double value) {}
}
