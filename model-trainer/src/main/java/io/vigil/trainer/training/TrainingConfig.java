package io.vigil.trainer.training;

import io.vigil.scoring.DirectEvidence;
import io.vigil.scoring.Reference;
import io.vigil.scoring.bundle.BundleException;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ModelStore;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a training run depends on, validated on construction with messages that say what to
 * change. Build one with {@link #builder()}; every field has a default ({@code DEFAULT_*}).
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder().modelId("pumps").windowLength(32).build();
 * }</pre>
 *
 * @param modelId the model's stable name (letters, digits, '.', '_', '-')
 * @param version this bundle's version; default: UTC time of {@link Builder#build()}, {@code yyyyMMdd-HHmmss}
 * @param windowLength W: vectors per autoencoder window (and events before a key is scored)
 * @param sequenceLength steps per LSTM training sequence
 * @param lstmHidden LSTM hidden units
 * @param aeHidden the autoencoder's hidden layer sizes, e.g. [32, 8, 32]
 * @param maxEpochs most epochs per network
 * @param patience epochs without a validation-loss improvement before training stops
 * @param minImprovement relative decrease of the validation loss that counts as an improvement
 * @param batchSize examples per mini-batch
 * @param lstmLearningRate Adam learning rate of the LSTM
 * @param aeLearningRate Adam learning rate of the autoencoder
 * @param validationFraction the newest part of each entity's rows kept for validation and calibration
 * @param seed seeds network initialisation, shuffling and subsampling
 * @param aeErrorSpan how many of the window's newest vectors the reconstruction error averages; 0 = all W
 * @param aeHop the autoencoder reconstructs a key's window every {@code aeHop}-th event (1 = every event);
 *     0 = {@link #autoAeHop}: a quarter of the window, so each event is in four reconstructed windows and
 *     the autoencoder's cost per event does not grow with the window length
 * @param smoothing EWMA weight of the newest error ratio in each channel's smoothed ratio, the evidence (1 = none)
 * @param halfLife events after which what a key remembers of its evidence weighs half
 * @param priorWeight how many events the calibrated prior counts for when a key starts
 * @param calmSmoothing EWMA weight of the newest error in the smoothed error the lower tail reads
 * @param threshold the surprise at which one event alone opens an alert (3 = one in a thousand)
 * @param drift the surprise each event of a run must exceed to build evidence towards an alert
 * @param resolveAfter consecutive events back to normal that resolve an alert
 * @param maxOpenEvents events after which an alert still open is closed as the key's new normal
 * @param warmupEvents events after the first full window before a key may alert
 * @param maxWindows most autoencoder training windows (evenly subsampled beyond this)
 * @param perKeyMinRows entities with at least this many normal training rows get their own models; 0 = off
 * @param perKeyNormalisation standardise every entity with its own statistics (fitted on its training
 *     rows, or estimated online from a new key's first events) instead of one global normaliser
 * @param normaliserEvents first events of a key the bundle has no statistics for that estimate them
 * @param lowerTail channels whose unusually small errors count; null = decided from the validation data
 *     (see {@code io.vigil.scoring.Calibrator}), empty = none
 * @param differenced channels the networks see as first differences instead of levels; null = decided
 *     from the fit data ({@link ChannelForm}), empty = none
 * @param directEvidence channels whose value is itself evidence ({@code io.vigil.scoring.DirectEvidence}):
 *     hidden from the networks, never differenced; the transaction trainer names the merchant-risk
 *     features here; empty = none
 */
public record TrainingConfig(
        String modelId,
        String version,
        int windowLength,
        int sequenceLength,
        int lstmHidden,
        List<Integer> aeHidden,
        int maxEpochs,
        int patience,
        double minImprovement,
        int batchSize,
        double lstmLearningRate,
        double aeLearningRate,
        double validationFraction,
        long seed,
        int aeErrorSpan,
        int aeHop,
        double smoothing,
        double halfLife,
        int priorWeight,
        double calmSmoothing,
        double threshold,
        double drift,
        int resolveAfter,
        int maxOpenEvents,
        int warmupEvents,
        int maxWindows,
        int perKeyMinRows,
        boolean perKeyNormalisation,
        int normaliserEvents,
        List<String> lowerTail,
        List<String> differenced,
        List<String> directEvidence) {

    public static final String DEFAULT_MODEL_ID = "vigil-sensor";
    public static final int DEFAULT_WINDOW_LENGTH = 32;
    public static final int DEFAULT_SEQUENCE_LENGTH = 64;
    public static final int DEFAULT_LSTM_HIDDEN = 32;
    public static final String DEFAULT_AE_HIDDEN = "64,16,64";
    public static final int DEFAULT_MAX_EPOCHS = 30;
    public static final int DEFAULT_PATIENCE = 4;
    public static final double DEFAULT_MIN_IMPROVEMENT = 1e-3;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final double DEFAULT_LSTM_LEARNING_RATE = 5e-3;
    public static final double DEFAULT_AE_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_AE_ERROR_SPAN = 0;
    public static final int DEFAULT_AE_HOP = 0;
    public static final double DEFAULT_SMOOTHING = 0.3;
    public static final double DEFAULT_HALF_LIFE = 2000;
    public static final int DEFAULT_PRIOR_WEIGHT = 64;
    public static final double DEFAULT_CALM_SMOOTHING = 0.1;
    public static final double DEFAULT_THRESHOLD = 3.0;
    public static final double DEFAULT_DRIFT = 1.5;
    public static final int DEFAULT_RESOLVE_AFTER = 30;
    public static final int DEFAULT_MAX_OPEN_EVENTS = 1000;
    public static final int DEFAULT_WARMUP_EVENTS = 16;
    public static final int DEFAULT_MAX_WINDOWS = 20_000;
    public static final int DEFAULT_PER_KEY_MIN_ROWS = 0;
    public static final boolean DEFAULT_PER_KEY_NORMALISATION = true;
    public static final int DEFAULT_NORMALISER_EVENTS = 64;

    /** Shortest run of consecutive normal rows that yields an LSTM training sequence. */
    public static final int MIN_SEGMENT_ROWS = 8;

    static final DateTimeFormatter VERSION_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    public TrainingConfig {
        aeHidden = aeHidden == null ? null : List.copyOf(aeHidden);
        directEvidence = directEvidence == null ? List.of() : List.copyOf(directEvidence);
        differenced = differenced == null ? null : List.copyOf(differenced);
        if (differenced != null && differenced.stream().anyMatch(d -> d == null || d.isBlank())) {
            throw new InvalidConfigException(
                    "difference", "the differenced channels must be column names, are " + differenced);
        }
        lowerTail = lowerTail == null ? null : List.copyOf(lowerTail);
        if (lowerTail != null && lowerTail.stream().anyMatch(d -> d == null || d.isBlank())) {
            throw new InvalidConfigException(
                    "lowerTail", "the lower-tail channels must be column names, are " + lowerTail);
        }
        try {
            ModelStore.bundlePath(modelId, version);
        } catch (BundleException e) {
            throw new InvalidConfigException(
                    e.getMessage().contains("model id") ? "modelId" : "version", e.getMessage());
        }
        atLeast("windowLength", windowLength, 2, "the autoencoder needs a window of at least 2 vectors");
        atLeast(
                "sequenceLength",
                sequenceLength,
                MIN_SEGMENT_ROWS,
                "shorter sequences teach the LSTM too little context");
        atLeast("lstmHidden", lstmHidden, 1, "the LSTM needs hidden units");
        if (aeHidden == null || aeHidden.isEmpty() || aeHidden.stream().anyMatch(h -> h == null || h < 1)) {
            throw new InvalidConfigException(
                    "aeHidden", "aeHidden must be one or more positive layer sizes (e.g. 32,8,32), is " + aeHidden);
        }
        atLeast("maxEpochs", maxEpochs, 1, "");
        atLeast("patience", patience, 1, "");
        if (!(minImprovement >= 0 && minImprovement < 1)) {
            throw new InvalidConfigException(
                    "minImprovement",
                    "minImprovement must be in [0, 1) (a relative decrease of" + " the validation loss), is "
                            + minImprovement);
        }
        atLeast("batchSize", batchSize, 1, "");
        rate("lstmLearningRate", lstmLearningRate);
        rate("aeLearningRate", aeLearningRate);
        open(
                "validationFraction",
                validationFraction,
                "the validation part stops training early and calibrates the threshold");
        rate("calmSmoothing", calmSmoothing);
        rate("smoothing", smoothing);
        if (aeErrorSpan < 0 || aeErrorSpan > windowLength) {
            throw new InvalidConfigException(
                    "aeErrorSpan",
                    "aeErrorSpan must be in [0, windowLength = " + windowLength + "] (0 = the whole window), is "
                            + aeErrorSpan);
        }
        if (aeHop < 0 || aeHop > windowLength) {
            throw new InvalidConfigException(
                    "aeHop",
                    "aeHop must be in [0, windowLength = " + windowLength
                            + "] (1 = every event, 0 = a quarter of the window), is " + aeHop);
        }
        if (!(halfLife >= 1) || Double.isInfinite(halfLife)) {
            throw new InvalidConfigException("halfLife", "halfLife must be at least 1 event, is " + halfLife);
        }
        atLeast("priorWeight", priorWeight, 0, "");
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new InvalidConfigException(
                    "threshold",
                    "threshold must be a positive surprise (3 = one event in a" + " thousand), is " + threshold);
        }
        if (!(drift >= 0 && drift <= threshold)) {
            throw new InvalidConfigException(
                    "drift", "drift must be in [0, threshold = " + threshold + "], is " + drift);
        }
        atLeast("resolveAfter", resolveAfter, 1, "");
        atLeast("maxOpenEvents", maxOpenEvents, 1, "");
        atLeast("warmupEvents", warmupEvents, 0, "");
        atLeast("maxWindows", maxWindows, 1, "");
        atLeast("perKeyMinRows", perKeyMinRows, 0, "0 turns per-key models off");
        atLeast("normaliserEvents", normaliserEvents, 2, "a standard deviation needs two values");
    }

    private static void atLeast(String field, long value, long min, String why) {
        if (value < min) {
            throw new InvalidConfigException(
                    field,
                    field + " must be at least " + min + ", is " + value + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }

    private static void rate(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidConfigException(field, field + " must be in (0, 1], is " + value);
        }
    }

    private static void open(String field, double value, String why) {
        if (!(value > 0 && value < 1)) {
            throw new InvalidConfigException(
                    field, field + " must be in (0, 1), is " + value + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }

    /** The span the bundle records: the whole window when {@link #aeErrorSpan} is 0. */
    public int effectiveAeErrorSpan() {
        return aeErrorSpan == 0 ? windowLength : aeErrorSpan;
    }

    /** The hop the bundle records: {@link #autoAeHop} when {@link #aeHop} is 0. */
    public int effectiveAeHop() {
        return aeHop == 0 ? autoAeHop(windowLength) : aeHop;
    }

    /**
     * The default hop for a window of {@code windowLength}: a quarter of it (at least 1). Every event is
     * then inside four reconstructed windows, and the autoencoder costs about four reconstructions per
     * window length, whatever that length.
     */
    public static int autoAeHop(int windowLength) {
        return Math.max(1, windowLength / 4);
    }

    /**
     * The bundle's scoring section for these settings, with the given calibration (the trainer's draft
     * has unit scales and a flat prior, which {@code Calibrator} replaces).
     */
    public BundleManifest.ScoringSpec scoringSpec(
            BundleManifest.ErrorScales scales,
            BundleManifest.ErrorScales tails,
            List<String> lowerTailChannels,
            float[] prior,
            BundleManifest.DirectSpec direct) {
        return new BundleManifest.ScoringSpec(
                effectiveAeErrorSpan(),
                effectiveAeHop(),
                scales,
                tails,
                smoothing,
                lowerTailChannels,
                calmSmoothing,
                new BundleManifest.ReferenceSpec(halfLife, priorWeight, prior),
                warmupEvents,
                normaliserEvents,
                BundleManifest.ScoringSpec.PER_KEY_PHASE,
                direct);
    }

    /** Unit error scales for {@code channels} channels and a flat prior: a scoring section before calibration. */
    public BundleManifest.ScoringSpec uncalibratedScoringSpec(int channels) {
        double[] unit = new double[channels];
        Arrays.fill(unit, 1);
        float[] flat = new float[Reference.SIZE];
        Arrays.fill(flat, 1f);
        BundleManifest.DirectSpec direct = null;
        if (!directEvidence.isEmpty()) {
            Map<String, Double> levels = new TreeMap<>();
            for (String name : directEvidence) {
                levels.put(name, DirectEvidence.NO_POSITIVE_LEVEL); // the Calibrator measures the levels
            }
            direct = new BundleManifest.DirectSpec(levels, 1);
        }
        return scoringSpec(
                new BundleManifest.ErrorScales(unit, unit.clone()),
                new BundleManifest.ErrorScales(unit.clone(), unit.clone()),
                List.of(),
                flat,
                direct);
    }

    /** The bundle's alert section for these settings. */
    public BundleManifest.AlertSpec alertSpec() {
        return new BundleManifest.AlertSpec(threshold, drift, resolveAfter, maxOpenEvents);
    }

    /** The autoencoder layer sizes as an array, for {@code Architectures.autoencoder}. */
    public int[] aeHiddenArray() {
        return aeHidden.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether per-key models are trained. */
    public boolean perKeyModels() {
        return perKeyMinRows > 0;
    }

    /** This configuration with {@code channels} as the channels whose value is itself evidence. */
    public TrainingConfig withDirectEvidence(List<String> channels) {
        return new TrainingConfig(
                modelId,
                version,
                windowLength,
                sequenceLength,
                lstmHidden,
                aeHidden,
                maxEpochs,
                patience,
                minImprovement,
                batchSize,
                lstmLearningRate,
                aeLearningRate,
                validationFraction,
                seed,
                aeErrorSpan,
                aeHop,
                smoothing,
                halfLife,
                priorWeight,
                calmSmoothing,
                threshold,
                drift,
                resolveAfter,
                maxOpenEvents,
                warmupEvents,
                maxWindows,
                perKeyMinRows,
                perKeyNormalisation,
                normaliserEvents,
                lowerTail,
                differenced,
                channels);
    }

    /** The hyperparameters as a map, for the bundle's training summary. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new TreeMap<>();
        m.put("windowLength", windowLength);
        m.put("sequenceLength", sequenceLength);
        m.put("lstmHidden", lstmHidden);
        m.put("aeHidden", aeHidden);
        m.put("maxEpochs", maxEpochs);
        m.put("patience", patience);
        m.put("minImprovement", minImprovement);
        m.put("batchSize", batchSize);
        m.put("lstmLearningRate", lstmLearningRate);
        m.put("aeLearningRate", aeLearningRate);
        m.put("validationFraction", validationFraction);
        m.put("seed", seed);
        m.put("aeErrorSpan", aeErrorSpan);
        m.put("aeHop", effectiveAeHop());
        m.put("smoothing", smoothing);
        m.put("halfLife", halfLife);
        m.put("priorWeight", priorWeight);
        m.put("calmSmoothing", calmSmoothing);
        m.put("threshold", threshold);
        m.put("drift", drift);
        m.put("resolveAfter", resolveAfter);
        m.put("maxOpenEvents", maxOpenEvents);
        m.put("warmupEvents", warmupEvents);
        m.put("maxWindows", maxWindows);
        m.put("perKeyMinRows", perKeyMinRows);
        m.put("perKeyNormalisation", perKeyNormalisation);
        m.put("normaliserEvents", normaliserEvents);
        m.put("lowerTail", lowerTail == null ? "decided from the data" : lowerTail);
        m.put("differenced", differenced == null ? "decided from the data" : differenced);
        m.put("directEvidence", directEvidence);
        return m;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses layer sizes written as {@code 32,8,32}. */
    public static List<Integer> parseLayers(String text) {
        try {
            return Arrays.stream(text.split(","))
                    .map(String::trim)
                    .map(Integer::valueOf)
                    .toList();
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(
                    "aeHidden", "aeHidden must be comma-separated layer sizes such as 32,8,32, is '" + text + "'");
        }
    }

    /** Collects fields and builds a validated {@link TrainingConfig}; unset fields take the defaults. */
    public static final class Builder {
        private String modelId = DEFAULT_MODEL_ID;
        private String version;
        private int windowLength = DEFAULT_WINDOW_LENGTH;
        private int sequenceLength = DEFAULT_SEQUENCE_LENGTH;
        private int lstmHidden = DEFAULT_LSTM_HIDDEN;
        private List<Integer> aeHidden = parseLayers(DEFAULT_AE_HIDDEN);
        private int maxEpochs = DEFAULT_MAX_EPOCHS;
        private int patience = DEFAULT_PATIENCE;
        private double minImprovement = DEFAULT_MIN_IMPROVEMENT;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private double lstmLearningRate = DEFAULT_LSTM_LEARNING_RATE;
        private double aeLearningRate = DEFAULT_AE_LEARNING_RATE;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private long seed = DEFAULT_SEED;
        private int aeErrorSpan = DEFAULT_AE_ERROR_SPAN;
        private int aeHop = DEFAULT_AE_HOP;
        private double smoothing = DEFAULT_SMOOTHING;
        private double halfLife = DEFAULT_HALF_LIFE;
        private int priorWeight = DEFAULT_PRIOR_WEIGHT;
        private double calmSmoothing = DEFAULT_CALM_SMOOTHING;
        private double threshold = DEFAULT_THRESHOLD;
        private double drift = DEFAULT_DRIFT;
        private int resolveAfter = DEFAULT_RESOLVE_AFTER;
        private int maxOpenEvents = DEFAULT_MAX_OPEN_EVENTS;
        private int warmupEvents = DEFAULT_WARMUP_EVENTS;
        private int maxWindows = DEFAULT_MAX_WINDOWS;
        private int perKeyMinRows = DEFAULT_PER_KEY_MIN_ROWS;
        private boolean perKeyNormalisation = DEFAULT_PER_KEY_NORMALISATION;
        private int normaliserEvents = DEFAULT_NORMALISER_EVENTS;
        private List<String> lowerTail;
        private List<String> differenced;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder modelId(String v) {
            modelId = v;
            return this;
        }
        /** {@code null} for the default: the UTC time of {@link #build()}. */
        public Builder version(String v) {
            version = v;
            return this;
        }

        public Builder windowLength(int v) {
            windowLength = v;
            return this;
        }

        public Builder sequenceLength(int v) {
            sequenceLength = v;
            return this;
        }

        public Builder lstmHidden(int v) {
            lstmHidden = v;
            return this;
        }

        public Builder aeHidden(List<Integer> v) {
            aeHidden = v;
            return this;
        }

        public Builder aeHidden(int... v) {
            aeHidden = Arrays.stream(v).boxed().toList();
            return this;
        }

        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder minImprovement(double v) {
            minImprovement = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder lstmLearningRate(double v) {
            lstmLearningRate = v;
            return this;
        }

        public Builder aeLearningRate(double v) {
            aeLearningRate = v;
            return this;
        }

        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder aeErrorSpan(int v) {
            aeErrorSpan = v;
            return this;
        }

        public Builder aeHop(int v) {
            aeHop = v;
            return this;
        }

        public Builder smoothing(double v) {
            smoothing = v;
            return this;
        }

        public Builder halfLife(double v) {
            halfLife = v;
            return this;
        }

        public Builder priorWeight(int v) {
            priorWeight = v;
            return this;
        }

        public Builder calmSmoothing(double v) {
            calmSmoothing = v;
            return this;
        }

        public Builder threshold(double v) {
            threshold = v;
            return this;
        }

        public Builder drift(double v) {
            drift = v;
            return this;
        }

        public Builder resolveAfter(int v) {
            resolveAfter = v;
            return this;
        }

        public Builder maxOpenEvents(int v) {
            maxOpenEvents = v;
            return this;
        }

        public Builder warmupEvents(int v) {
            warmupEvents = v;
            return this;
        }

        public Builder maxWindows(int v) {
            maxWindows = v;
            return this;
        }

        public Builder perKeyMinRows(int v) {
            perKeyMinRows = v;
            return this;
        }

        public Builder perKeyNormalisation(boolean v) {
            perKeyNormalisation = v;
            return this;
        }

        public Builder normaliserEvents(int v) {
            normaliserEvents = v;
            return this;
        }
        /** Null (the default): decided from the validation data; empty: none. */
        public Builder lowerTail(List<String> v) {
            lowerTail = v;
            return this;
        }
        /** Null (the default): decided from the fit data; empty: none. */
        public Builder differenced(List<String> v) {
            differenced = v;
            return this;
        }
        /** The clock the default version is read from. */
        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public TrainingConfig build() {
            String v = version != null
                    ? version
                    : LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).format(VERSION_FORMAT);
            return new TrainingConfig(
                    modelId,
                    v,
                    windowLength,
                    sequenceLength,
                    lstmHidden,
                    aeHidden,
                    maxEpochs,
                    patience,
                    minImprovement,
                    batchSize,
                    lstmLearningRate,
                    aeLearningRate,
                    validationFraction,
                    seed,
                    aeErrorSpan,
                    aeHop,
                    smoothing,
                    halfLife,
                    priorWeight,
                    calmSmoothing,
                    threshold,
                    drift,
                    resolveAfter,
                    maxOpenEvents,
                    warmupEvents,
                    maxWindows,
                    perKeyMinRows,
                    perKeyNormalisation,
                    normaliserEvents,
                    lowerTail,
                    differenced,
                    List.of()); // direct evidence is named by the caller that knows it: withDirectEvidence
        }
    }
}
