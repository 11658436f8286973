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
 * @param differenced channels the networks see as first differences (reading minus the key's
 *     previous one) rather than levels, see {@link io.vigil.scoring.Differencing}; absent means none
 * @param windowLength W: vectors per autoencoder window, and events before a key is scored
 * @param sequenceLength the LSTM's training sequence length (informational: serving steps once per event)
 * @param normalisation {@code per-key} (each key standardised with its own statistics: those in
 *     {@link #keyNormalisers}, or estimated online from a new key's first events) or {@code global}
 *     (every key with {@link #normaliser}); absent means global
 * @param keyNormalisers per-key standardisation fitted on each key's training rows
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
        List<String> differenced,
        int windowLength,
        int sequenceLength,
        NormaliserSpec normaliser,
        String normalisation,
        Map<String, NormaliserSpec> keyNormalisers,
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

    public static final String PER_KEY = "per-key";
    public static final String GLOBAL = "global";

    /** Whether keys are standardised with their own statistics. */
    public boolean perKeyNormalisation() {
        return PER_KEY.equals(normalisation);
    }

    public BundleManifest withScoring(ScoringSpec spec, ThresholdSpec t) {
        return new BundleManifest(formatVersion, modelId, version, createdAt, streamKind, features, differenced, windowLength,
                sequenceLength, normaliser, normalisation, keyNormalisers, lstmFile, autoencoderFile, spec, t, training,
                metrics, keyModels, files);
    }

    public BundleManifest withSummary(Map<String, Object> newTraining, Map<String, Object> newMetrics) {
        return new BundleManifest(formatVersion, modelId, version, createdAt, streamKind, features, differenced, windowLength,
                sequenceLength, normaliser, normalisation, keyNormalisers, lstmFile, autoencoderFile, scoring, threshold,
                newTraining, newMetrics, keyModels, files);
    }

    /** The manifest as written: its format version, network file names, sub-bundles and checksums set. */
    public BundleManifest asWritten(String lstm, String autoencoder, Map<String, String> keyDirs,
            Map<String, String> checksums) {
        return new BundleManifest(FORMAT_VERSION, modelId, version, createdAt, streamKind, features, differenced, windowLength,
                sequenceLength, normaliser, normalisation, keyNormalisers, lstm, autoencoder, scoring, threshold,
                training, metrics, keyDirs, checksums);
    }

    /** Per-channel standardisation fitted on the training part. */
    public record NormaliserSpec(double[] mean, double[] std) {}

    /**
     * How raw model errors become a calibrated score.
     *
     * @param smoothing EWMA weight of the newest error (1 = no smoothing)
     * @param aeErrorSpan how many of the window's newest vectors the reconstruction error averages
     * @param aeHop the autoencoder reconstructs a key's window every {@code aeHop}-th event (the first
     *     full window, then every aeHop events), so each event is in about {@code windowLength / aeHop}
     *     reconstructed windows; between reconstructions the autoencoder's channels keep the latest one's
     *     smoothed error, and its smoothing and statistics adapt once per hop as much as over aeHop
     *     events. 1: every event;
     *     0, in bundles written before this field: every event too ({@link #hop()})
     * @param lstmPriors per channel, the distribution of log(smoothed LSTM squared error) on validation data
     * @param aePriors per channel, the distribution of log(smoothed reconstruction error) on validation data
     * @param statsAlpha per-key adaptation rate of the error statistics once warm
     * @param priorWeight how many events the global prior counts for when a key starts
     * @param warmupEvents events after the first full window before a key may alert
     * @param normaliserEvents with per-key normalisation, how many first events of a key the bundle
     *     has no statistics for are used to estimate them (they are not scored)
     * @param lowerTail whether errors far <em>below</em> a channel's normal also count (a stuck or
     *     flat-lined sensor is predicted and reconstructed too well)
     */
    public record ScoringSpec(
            double smoothing,
            int aeErrorSpan,
            int aeHop,
            List<ErrorPrior> lstmPriors,
            List<ErrorPrior> aePriors,
            double statsAlpha,
            int priorWeight,
            int warmupEvents,
            int normaliserEvents,
            boolean lowerTail) {

        public ScoringSpec withPriors(List<ErrorPrior> lstm, List<ErrorPrior> ae) {
            return new ScoringSpec(smoothing, aeErrorSpan, aeHop, List.copyOf(lstm), List.copyOf(ae), statsAlpha,
                    priorWeight, warmupEvents, normaliserEvents, lowerTail);
        }

        /** Events from one reconstruction of a key's window to the next: {@link #aeHop}, at least 1. */
        public int hop() {
            return Math.max(1, aeHop);
        }

        /** The same prior for every one of {@code channels} channels (before calibration replaces them). */
        public static List<ErrorPrior> uniform(ErrorPrior prior, int channels) {
            return java.util.Collections.nCopies(channels, prior);
        }
    }

    /** Mean and standard deviation of a log error. */
    public record ErrorPrior(double mean, double std) {}

    /**
     * The alerting threshold on the combined score.
     *
     * @param kind {@code quantile} (a fixed threshold: the validation quantile) or {@code pot} (a
     *     dynamic one: peaks over threshold, fitted per key online)
     * @param quantile the validation quantile the fixed threshold was taken at
     * @param value the fixed threshold on the score in [0, 1]
     * @param pot the peaks-over-threshold fit on validation data (present whatever the kind, so the
     *     job can be switched to it)
     */
    public record ThresholdSpec(String kind, double quantile, double value, PotSpec pot) {

        public static final String QUANTILE = "quantile";
        public static final String POT = "pot";
    }

    /**
     * Peaks over threshold (extreme value theory) on each key's combined z-score: excesses over the
     * initial threshold follow a generalised Pareto distribution, and the threshold is set where the
     * tail says an event this extreme happens with probability {@code risk}. The fit here is the global
     * one from validation data; each key starts from it and refits on its own normal peaks.
     *
     * @param initialZ the initial threshold t (z-score) above which peaks are collected
     * @param sigma GPD scale of the excesses over t
     * @param xi GPD shape of the excesses over t
     * @param exceedanceRate share of events above t
     * @param risk the false-alarm rate per event the threshold aims at
     * @param memory how many of its latest peaks a key's fit weighs (older ones fade)
     */
    public record PotSpec(double initialZ, double sigma, double xi, double exceedanceRate, double risk, int memory) {

        /** The z-score threshold for this fit. */
        public double thresholdZ() {
            return threshold(initialZ, sigma, xi, exceedanceRate, risk);
        }

        /** Method-of-moments GPD quantile: the z exceeded with probability {@code risk}. */
        public static double threshold(double t, double sigma, double xi, double rate, double risk) {
            if (!(rate > risk) || !(sigma > 0)) {
                return t;
            }
            double ratio = risk / rate;
            return Math.abs(xi) < 1e-6 ? t - sigma * Math.log(ratio) : t + sigma / xi * (Math.pow(ratio, -xi) - 1);
        }
    }
}
