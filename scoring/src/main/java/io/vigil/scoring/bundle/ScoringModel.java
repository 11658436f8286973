package io.vigil.scoring.bundle;

import io.vigil.scoring.Differencing;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.Normaliser;
import io.vigil.scoring.Reference;
import io.vigil.scoring.engine.Dl4jEngine;
import io.vigil.scoring.engine.EngineKind;
import io.vigil.scoring.engine.InferenceEngine;
import io.vigil.scoring.engine.NativeEngine;
import io.vigil.scoring.nn.NativeDenseNet;
import io.vigil.scoring.nn.NativeLstm;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A verified, loaded bundle: the manifest plus both networks, ready to score. Per-key sub-models
 * (where the trainer fitted some) are picked with {@link #forKey}; every other key uses this one.
 */
public final class ScoringModel {

    private final BundleManifest manifest;
    private final String manifestSha256;
    private final String shortId;
    private final FeatureSpec features;
    private final Differencing differencing;
    private final Normaliser normaliser;
    private final MultiLayerNetwork lstm;
    private final MultiLayerNetwork autoencoder;
    private final NativeLstm nativeLstm;
    private final NativeDenseNet nativeAutoencoder;
    private final Map<String, ScoringModel> keyModels;
    private final Map<String, Normaliser> keyNormalisers;

    ScoringModel(
            BundleManifest manifest,
            String manifestSha256,
            MultiLayerNetwork lstm,
            MultiLayerNetwork autoencoder,
            Map<String, ScoringModel> keyModels) {
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.shortId = manifestSha256.substring(0, 16);
        this.features = new FeatureSpec(manifest.features());
        try {
            this.differencing = Differencing.of(features, manifest.differenced());
        } catch (IllegalArgumentException e) {
            throw new BundleException(
                    "Bundle " + manifest.modelId() + "/" + manifest.version() + ": " + e.getMessage(), e);
        }
        this.normaliser = new Normaliser(
                manifest.normaliser().mean(), manifest.normaliser().std());
        this.lstm = lstm;
        this.autoencoder = autoencoder;
        this.nativeLstm = NativeLstm.from(lstm);
        this.nativeAutoencoder = NativeDenseNet.from(autoencoder);
        this.keyModels = Map.copyOf(keyModels);
        Map<String, Normaliser> norms = new java.util.HashMap<>();
        if (manifest.keyNormalisers() != null) {
            manifest.keyNormalisers().forEach((k, n) -> norms.put(k, new Normaliser(n.mean(), n.std())));
        }
        this.keyNormalisers = norms;
        validate();
    }

    /**
     * A model that has not been written yet (the trainer calibrates and evaluates with it before it
     * writes the bundle). Its id is the SHA-256 of its manifest as it stands.
     */
    public static ScoringModel assemble(
            BundleManifest manifest, MultiLayerNetwork lstm, MultiLayerNetwork autoencoder) {
        return assemble(manifest, lstm, autoencoder, Map.of());
    }

    /** As {@link #assemble(BundleManifest, MultiLayerNetwork, MultiLayerNetwork)}, with per-key models attached. */
    public static ScoringModel assemble(
            BundleManifest manifest,
            MultiLayerNetwork lstm,
            MultiLayerNetwork autoencoder,
            Map<String, ScoringModel> keyModels) {
        try {
            return new ScoringModel(
                    manifest, Checksums.sha256(BundleWriter.toJson(manifest)), lstm, autoencoder, keyModels);
        } catch (java.io.IOException e) {
            throw new BundleException("Cannot serialise manifest of " + manifest.modelId(), e);
        } catch (IllegalArgumentException e) {
            throw new BundleException(e.getMessage(), e);
        }
    }

    private void validate() {
        int c = features.size();
        int w = manifest.windowLength();
        String where = "Bundle " + manifest.modelId() + "/" + manifest.version() + ": ";
        if (w < 2) {
            throw new BundleException(where + "windowLength must be at least 2, is " + w);
        }
        if (normaliser.size() != c) {
            throw new BundleException(
                    where + "the normaliser has " + normaliser.size() + " channels, the features " + c);
        }
        if (nativeLstm.inputSize() != c || nativeLstm.outputSize() != c) {
            throw new BundleException(where + "the LSTM maps " + nativeLstm.inputSize() + " -> "
                    + nativeLstm.outputSize() + " values, but there are " + c + " features");
        }
        if (nativeAutoencoder.inputSize() != w * c || nativeAutoencoder.outputSize() != w * c) {
            throw new BundleException(where + "the autoencoder maps " + nativeAutoencoder.inputSize() + " -> "
                    + nativeAutoencoder.outputSize() + " values, but a window is " + w + " x " + c + " = " + (w * c));
        }
        if (manifest.normalisation() != null
                && !manifest.perKeyNormalisation()
                && !BundleManifest.GLOBAL.equals(manifest.normalisation())) {
            throw new BundleException(
                    where + "normalisation must be per-key or global, is " + manifest.normalisation());
        }
        for (Map.Entry<String, Normaliser> k : keyNormalisers.entrySet()) {
            if (k.getValue().size() != c) {
                throw new BundleException(where + "the normaliser of key " + k.getKey() + " has "
                        + k.getValue().size() + " channels, the features " + c);
            }
        }
        BundleManifest.ScoringSpec s = manifest.scoring();
        if (s == null || s.scales() == null || s.tails() == null || s.reference() == null) {
            throw new BundleException(where + "the manifest has no scoring calibration");
        }
        checkScales(where + "the error scales", s.scales(), c);
        checkScales(where + "the tail factors", s.tails(), c);
        if (manifest.keyScales() != null) {
            manifest.keyScales().forEach((k, v) -> checkScales(where + "the error scales of key " + k, v, c));
        }
        if (s.aeErrorSpan() < 1 || s.aeErrorSpan() > w) {
            throw new BundleException(where + "aeErrorSpan must be in [1, " + w + "], is " + s.aeErrorSpan());
        }
        if (s.aeHop() < 0 || s.aeHop() > w) {
            throw new BundleException(where + "aeHop must be in [1, " + w + "] (0: every event), is " + s.aeHop());
        }
        if (manifest.perKeyNormalisation() && s.normaliserEvents() < 2) {
            throw new BundleException(where + "normaliserEvents must be at least 2 with per-key normalisation, is "
                    + s.normaliserEvents());
        }
        if (!(s.calmSmoothing() > 0 && s.calmSmoothing() <= 1)) {
            throw new BundleException(where + "calmSmoothing must be in (0, 1], is " + s.calmSmoothing());
        }
        for (String ch : s.lowerTail() == null ? java.util.List.<String>of() : s.lowerTail()) {
            if (features.indexOf(ch) < 0) {
                throw new BundleException(where + "lowerTail names channel '" + ch + "', which is not a feature");
            }
        }
        BundleManifest.ReferenceSpec r = s.reference();
        if (r.prior() == null
                || r.prior().length != Reference.SIZE
                || !(r.halfLife() >= 1)
                || !(r.priorWeight() >= 0)) {
            throw new BundleException(where + "the reference needs a prior of " + Reference.SIZE
                    + " masses, a half-life of at least 1 event and a non-negative prior weight");
        }
        BundleManifest.AlertSpec a = manifest.alert();
        if (a == null
                || !(a.threshold() > 0)
                || !(a.drift() >= 0 && a.drift() <= a.threshold())
                || a.resolveAfter() < 1
                || a.maxOpenEvents() < 1) {
            throw new BundleException(where + "the alert settings need a threshold above 0, a drift in [0, threshold],"
                    + " and resolveAfter and maxOpenEvents of at least 1; they are " + a);
        }
    }

    private static void checkScales(String what, BundleManifest.ErrorScales scales, int c) {
        if (scales.lstm() == null
                || scales.autoencoder() == null
                || scales.lstm().length != c
                || scales.autoencoder().length != c) {
            throw new BundleException(what + " must give " + c + " values per network");
        }
        for (double v : scales.lstm()) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new BundleException(what + " must be positive and finite, one is " + v);
            }
        }
        for (double v : scales.autoencoder()) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new BundleException(what + " must be positive and finite, one is " + v);
            }
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public String manifestSha256() {
        return manifestSha256;
    }

    /** The first 16 hex digits of {@link #manifestSha256}: what a key's state records as its model. */
    public String shortId() {
        return shortId;
    }

    public String modelId() {
        return manifest.modelId();
    }

    public String version() {
        return manifest.version();
    }

    public FeatureSpec features() {
        return features;
    }

    /** The global normaliser (the fallback, and every key's with global normalisation). */
    /** Which channels the networks see as differences. */
    public Differencing differencing() {
        return differencing;
    }

    public Normaliser normaliser() {
        return normaliser;
    }

    public boolean perKeyNormalisation() {
        return manifest.perKeyNormalisation();
    }

    /**
     * The statistics a key is standardised with: its own (per-key normalisation, key in the bundle),
     * the global ones (global normalisation), or null when they must be estimated from its first events.
     */
    public Normaliser normaliserFor(String key) {
        return perKeyNormalisation() ? keyNormalisers.get(key) : normaliser;
    }

    public int windowLength() {
        return manifest.windowLength();
    }

    public int hiddenSize() {
        return nativeLstm.hiddenSize();
    }

    public BundleManifest.ScoringSpec scoring() {
        return manifest.scoring();
    }

    /** When alerts open and resolve, as the bundle says. */
    public BundleManifest.AlertSpec alert() {
        return manifest.alert();
    }

    /** The error scales a key's evidence is relative to: its own, if the bundle has them, else the global ones. */
    public BundleManifest.ErrorScales scalesFor(String key) {
        BundleManifest.ErrorScales own =
                manifest.keyScales() == null ? null : manifest.keyScales().get(key);
        return own != null ? own : manifest.scoring().scales();
    }

    /**
     * The count of events after which a key of this model may alert: a full window plus the warm-up
     * ({@code warmupOverride} when it is not negative, else the bundle's). The one rule, for the scorer
     * and for anyone counting warming keys.
     */
    public long warmAfter(int warmupOverride) {
        return (long) windowLength()
                + (warmupOverride >= 0 ? warmupOverride : manifest.scoring().warmupEvents());
    }

    public MultiLayerNetwork lstm() {
        return lstm;
    }

    public MultiLayerNetwork autoencoder() {
        return autoencoder;
    }

    /** The model fitted for this key, or this (global) model when there is none. */
    public ScoringModel forKey(String key) {
        ScoringModel m = keyModels.get(key);
        return m == null ? this : m;
    }

    public Map<String, ScoringModel> keyModels() {
        return keyModels;
    }

    /** A new engine for one thread; the DL4J engine copies the networks. */
    public InferenceEngine newEngine(EngineKind kind) {
        return switch (kind) {
            case NATIVE -> new NativeEngine(nativeLstm, nativeAutoencoder);
            case DL4J -> new Dl4jEngine(lstm, autoencoder);
        };
    }
}
