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
 * @param scoring how errors become evidence and surprise
 * @param keyScales per-key error scales, for keys with normal validation rows of their own
 * @param alert when alerts open and resolve
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
        Map<String, ErrorScales> keyScales,
        AlertSpec alert,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, String> keyModels,
        Map<String, String> files) {

    /**
     * The layout this code writes. 3: an integrity record ({@link Integrity}) beside the manifest covers
     * its values. 4: {@code scoring.aeHopPhase}, each key's reconstructions at its own offset; a reader of
     * format 3 would ignore that field and score differently from the trainer's calibration, so it is
     * told to refuse the bundle instead.
     */
    public static final int FORMAT_VERSION = 4;

    /** The oldest layout this code still reads (format 3 bundles score as they always did: offset 0). */
    public static final int OLDEST_READABLE_FORMAT = 3;

    /** Whether this code reads bundles of format {@code version}. */
    public static boolean readable(int version) {
        return version >= OLDEST_READABLE_FORMAT && version <= FORMAT_VERSION;
    }

    public static final String MANIFEST_FILE = "manifest.json";

    public static final String PER_KEY = "per-key";
    public static final String GLOBAL = "global";

    /** Whether keys are standardised with their own statistics. */
    public boolean perKeyNormalisation() {
        return PER_KEY.equals(normalisation);
    }

    public BundleManifest withScoring(ScoringSpec spec, Map<String, ErrorScales> keyScales, AlertSpec alert) {
        return new BundleManifest(
                formatVersion,
                modelId,
                version,
                createdAt,
                streamKind,
                features,
                differenced,
                windowLength,
                sequenceLength,
                normaliser,
                normalisation,
                keyNormalisers,
                lstmFile,
                autoencoderFile,
                spec,
                keyScales,
                alert,
                training,
                metrics,
                keyModels,
                files);
    }

    public BundleManifest withSummary(Map<String, Object> newTraining, Map<String, Object> newMetrics) {
        return new BundleManifest(
                formatVersion,
                modelId,
                version,
                createdAt,
                streamKind,
                features,
                differenced,
                windowLength,
                sequenceLength,
                normaliser,
                normalisation,
                keyNormalisers,
                lstmFile,
                autoencoderFile,
                scoring,
                keyScales,
                alert,
                newTraining,
                newMetrics,
                keyModels,
                files);
    }

    /** The manifest as written: its format version, network file names, sub-bundles and checksums set. */
    public BundleManifest asWritten(
            String lstm, String autoencoder, Map<String, String> keyDirs, Map<String, String> checksums) {
        return new BundleManifest(
                FORMAT_VERSION,
                modelId,
                version,
                createdAt,
                streamKind,
                features,
                differenced,
                windowLength,
                sequenceLength,
                normaliser,
                normalisation,
                keyNormalisers,
                lstm,
                autoencoder,
                scoring,
                keyScales,
                alert,
                training,
                metrics,
                keyDirs,
                checksums);
    }

    /**
     * The channels whose value is itself evidence ({@link io.vigil.scoring.DirectEvidence}).
     *
     * @param levels per channel, its normal level: the value 99% of normal validation events stay under
     *     (at least its smallest positive value there)
     * @param evidenceAtLevel the evidence ratio a channel at its normal level counts as:
     *     {@link io.vigil.scoring.DirectEvidence#WEIGHT} times the networks' typical channel at its 99th
     *     percentile on the same data
     */
    public record DirectSpec(Map<String, Double> levels, double evidenceAtLevel) {
        public DirectSpec {
            if (levels == null || levels.isEmpty()) {
                throw new IllegalArgumentException("scoring.direct.levels must name at least one channel");
            }
            levels.forEach((channel, level) -> {
                if (level == null || !(level > 0) || Double.isInfinite(level)) {
                    throw new IllegalArgumentException("scoring.direct.levels." + channel + " is " + level
                            + ": the normal level of a direct-evidence channel must be a positive finite number");
                }
            });
            if (!(evidenceAtLevel > 0) || Double.isInfinite(evidenceAtLevel)) {
                throw new IllegalArgumentException("scoring.direct.evidenceAtLevel is " + evidenceAtLevel
                        + ": it must be a positive finite number");
            }
            levels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(levels));
        }
    }

    /** Per-channel standardisation fitted on the training part. */
    public record NormaliserSpec(double[] mean, double[] std) {}

    /**
     * How the networks' errors become a key's evidence and its surprise ({@link io.vigil.scoring.SurpriseScore}).
     *
     * @param aeErrorSpan how many of the window's newest vectors the reconstruction error averages
     * @param aeHop the autoencoder reconstructs a key's window every {@code aeHop}-th event (the first
     *     full window, then every aeHop events), so each event is in about {@code windowLength / aeHop}
     *     reconstructed windows; between reconstructions the autoencoder's errors are the latest one's
     * @param scales per channel, the typical (median) squared error of each network on normal validation
     *     data, the key's own where it has one ({@link #keyScales})
     * @param tails per channel and network, how far above its typical level the smoothed error goes on
     *     normal data (its 99th percentile over the scale): a key's evidence is each smoothed error over
     *     scale x tail, so every channel crosses 1 about as rarely, however noisy or heavy-tailed it is
     * @param smoothing EWMA weight of the newest ratio in each channel's smoothed error ratio, the evidence
     *     (1 = none): a run of moderately large errors adds up, a single huge one still stands out
     * @param lowerTail channels whose unusually <em>small</em> errors also count as evidence (a stuck or
     *     flat-lined sensor is predicted too well): those whose validation data never shows such calm
     *     stretches, as the trainer decided; empty: none
     * @param calmSmoothing EWMA weight of the newest error in the smoothed error the lower tail reads
     * @param reference how a key remembers its evidence
     * @param warmupEvents events after the first full window before a key may alert
     * @param normaliserEvents with per-key normalisation, how many first events of a key the bundle
     *     has no statistics for are used to estimate them (they are not scored)
     * @param aeHopPhase {@value #PER_KEY_PHASE}: after the first full window, each key reconstructs at
     *     its own offset within the hop ({@link #phase}), so keys that move in step (a fleet started
     *     together, a replay) do not all need a reconstruction in the same instant; null (bundles written
     *     before it): every key at offset 0
     * @param direct channels whose value is itself evidence ({@link io.vigil.scoring.DirectEvidence}): the
     *     networks do not see them; null (bundles without them): none
     */
    public record ScoringSpec(
            int aeErrorSpan,
            int aeHop,
            ErrorScales scales,
            ErrorScales tails,
            double smoothing,
            List<String> lowerTail,
            double calmSmoothing,
            ReferenceSpec reference,
            int warmupEvents,
            int normaliserEvents,
            String aeHopPhase,
            DirectSpec direct) {

        /** {@link #aeHopPhase} of bundles whose keys reconstruct at their own offsets within the hop. */
        public static final String PER_KEY_PHASE = "per-key";

        public ScoringSpec {
            if (aeHopPhase != null && !PER_KEY_PHASE.equals(aeHopPhase)) {
                throw new IllegalArgumentException("scoring.aeHopPhase is '" + aeHopPhase + "': this version knows '"
                        + PER_KEY_PHASE + "' or no value");
            }
        }

        /** This spec with other direct-evidence channels ({@code null}: none). */
        public ScoringSpec withDirect(DirectSpec newDirect) {
            return new ScoringSpec(
                    aeErrorSpan,
                    aeHop,
                    scales,
                    tails,
                    smoothing,
                    lowerTail,
                    calmSmoothing,
                    reference,
                    warmupEvents,
                    normaliserEvents,
                    aeHopPhase,
                    newDirect);
        }

        /** Events from one reconstruction of a key's window to the next: {@link #aeHop}, at least 1. */
        public int hop() {
            return Math.max(1, aeHop);
        }

        /**
         * The offset of {@code key}'s reconstructions within the hop, in [0, hop): from the key's
         * {@link String#hashCode} (the same in every JVM) with {@link #PER_KEY_PHASE}, else 0.
         */
        public int phase(String key) {
            return aeHopPhase == null ? 0 : Math.floorMod(key.hashCode(), hop());
        }

        /**
         * Whether a key reconstructs its window at its {@code count}-th event (windows of {@code w}): at the
         * first full window, then every {@link #hop} events at the key's {@link #phase}.
         */
        public boolean reconstructsAt(long count, int w, int phase) {
            return count == w || (count > w && Math.floorMod(count - w - phase, (long) hop()) == 0);
        }

        /** This spec with another reference, e.g. the one whose prior was fitted under these scales. */
        public ScoringSpec withReference(ReferenceSpec newReference) {
            return new ScoringSpec(
                    aeErrorSpan,
                    aeHop,
                    scales,
                    tails,
                    smoothing,
                    lowerTail,
                    calmSmoothing,
                    newReference,
                    warmupEvents,
                    normaliserEvents,
                    aeHopPhase,
                    direct);
        }
    }

    /** Per channel, a value for the LSTM's errors and one for the autoencoder's. */
    public record ErrorScales(double[] lstm, double[] autoencoder) {}

    /**
     * How a key remembers its evidence ({@link io.vigil.scoring.Reference}).
     *
     * @param halfLife events after which a remembered event weighs half
     * @param priorWeight how many events the prior counts for when a key starts
     * @param prior the distribution of the evidence on normal validation data, as histogram masses
     *     ({@link io.vigil.scoring.Reference#SIZE} of them), which every key starts from
     */
    public record ReferenceSpec(double halfLife, double priorWeight, float[] prior) {}

    /**
     * When a key's alert opens and resolves ({@link io.vigil.scoring.AlertLifecycle}).
     *
     * @param threshold the surprise at which one event alone opens an alert (3 = one in a thousand)
     * @param drift the surprise a run of events must exceed, event after event, to build evidence: a run
     *     opens an alert once its summed excess over the drift reaches {@code threshold - drift}
     * @param resolveAfter consecutive events back to normal (surprise under the drift against the key's
     *     normal reference) that resolve an open alert
     * @param maxOpenEvents events after which an alert that has not resolved is closed and what the key
     *     does now becomes its normal
     */
    public record AlertSpec(double threshold, double drift, int resolveAfter, int maxOpenEvents) {

        /** The threshold as a score in [0, 1). */
        public double scoreThreshold() {
            return io.vigil.scoring.Surprise.score(threshold);
        }
    }
}
