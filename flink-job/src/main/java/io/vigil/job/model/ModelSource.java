package io.vigil.job.model;

import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ModelStore;
import io.vigil.scoring.bundle.ScoringModel;
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

    /** Loads and verifies a version from the store. */
    public ScoringModel load(String version) {
        return BundleReader.read(new FlinkBundleFiles(uriOf(version)), null);
    }

    /** Loads and verifies a bundle from an announced location against its announced manifest checksum. */
    public static ScoringModel load(String uri, String manifestSha256) {
        return BundleReader.read(new FlinkBundleFiles(uri), manifestSha256);
    }

    /** Reads only the manifest of a version (cheap: no networks), e.g. for the feature list at submission. */
    public BundleManifest manifest(String version) {
        FlinkBundleFiles files = new FlinkBundleFiles(uriOf(version));
        try {
            return BundleReader.parse(files.read(BundleManifest.MANIFEST_FILE), files);
        } catch (IOException e) {
            throw new io.vigil.scoring.bundle.BundleException("Cannot read the manifest of " + modelId + "/" + version
                    + " at " + files.location() + ": " + e.getMessage(), e);
        }
    }
}
