package io.vigil.job.model;

import io.vigil.scoring.bundle.BundleBytes;
import io.vigil.scoring.bundle.BundleException;
import io.vigil.scoring.bundle.BundleFiles;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.ModelStore;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.bundle.SigningKey;
import java.io.IOException;
import java.io.Serializable;

/** Where the job's models come from: a model store root and a model id. */
public record ModelSource(String store, String modelId) implements Serializable {

    /** Resolves "latest" (the store's LATEST pointer) to a concrete version; other versions pass through. */
    public String resolve(String version) {
        return "latest".equals(version) ? ModelStore.latestVersion(new FlinkBundleFiles(store), modelId) : version;
    }

    /** The URI of a version's bundle directory. */
    public String uriOf(String version) {
        String root = store.endsWith("/") ? store.substring(0, store.length() - 1) : store;
        return root + "/" + ModelStore.bundlePath(modelId, version);
    }

    /** A verified, loaded model and the copy of its files it was loaded from. */
    public record Loaded(ScoringModel model, BundleBytes copy) {}

    /** Loads and verifies a version from the store, keeping a copy of its files. */
    public Loaded load(String version) {
        return load(uriOf(version), null);
    }

    /**
     * Loads and verifies a bundle from a location (against its announced manifest checksum, unless
     * that is null), keeping a copy of its files.
     */
    public static Loaded load(String uri, String manifestSha256) {
        BundleBytes copy = BundleBytes.recording(new FlinkBundleFiles(uri));
        ScoringModel model = BundleReader.read(copy, manifestSha256);
        return new Loaded(model, copy.detached());
    }

    /** Loads a kept copy of a bundle, verifying it again. */
    public static ScoringModel load(BundleBytes copy) {
        return BundleReader.read(copy, null);
    }

    /**
     * Reads a version's files and verifies them (integrity record, signature where a key is configured,
     * every checksum) without loading the networks: what a submission carries to the job, so that the
     * job starts with exactly the model checked here, whatever the store does meanwhile.
     */
    public BundleBytes capture(String version) {
        BundleBytes copy = BundleBytes.recording(new FlinkBundleFiles(uriOf(version)));
        BundleReader.verify(copy, null, SigningKey.fromEnvironment());
        return copy.detached();
    }

    /** The manifest of a captured bundle. */
    public static BundleManifest manifest(BundleFiles bundle) {
        try {
            return BundleReader.parse(bundle.read(BundleManifest.MANIFEST_FILE), bundle);
        } catch (IOException e) {
            throw new BundleException("Cannot read the manifest at " + bundle.location() + ": " + e.getMessage(), e);
        }
    }

    /** Reads and verifies a version's files, and returns its manifest (no networks loaded). */
    public BundleManifest manifest(String version) {
        return manifest(capture(version));
    }
}
