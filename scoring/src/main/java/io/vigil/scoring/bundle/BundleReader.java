package io.vigil.scoring.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Loads a bundle and refuses it unless the manifest matches its integrity record (and, with a signing
 * key configured, its signature; {@link Integrity}), every file is present and matches the SHA-256 the
 * manifest records, and the manifest matches the checksum it was announced with (when one is given).
 * Every refusal names the bundle, the file and, for the manifest, the field.
 */
public final class BundleReader {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private BundleReader() {}

    /**
     * Reads and verifies the bundle with the signing key configured in the environment, if any
     * ({@link SigningKey#fromEnvironment}); {@code expectedManifestSha256} may be null.
     */
    public static ScoringModel read(BundleFiles files, String expectedManifestSha256) {
        return read(files, expectedManifestSha256, SigningKey.fromEnvironment());
    }

    /**
     * Reads and verifies the bundle; {@code expectedManifestSha256} may be null, and so may {@code key}
     * (then a signature is not required, and not checked).
     */
    public static ScoringModel read(BundleFiles files, String expectedManifestSha256, SigningKey key) {
        Verified v = verified(files, expectedManifestSha256, key);
        BundleManifest manifest = v.manifest();
        String manifestSha = v.manifestSha256();
        Map<String, byte[]> content = v.content();
        MultiLayerNetwork lstm = network(content, manifest.lstmFile(), files);
        MultiLayerNetwork autoencoder = network(content, manifest.autoencoderFile(), files);
        Map<String, ScoringModel> keyModels = new HashMap<>();
        if (manifest.keyModels() != null) {
            for (Map.Entry<String, String> k : manifest.keyModels().entrySet()) {
                String sha = subManifestSha(manifest, k.getKey(), k.getValue(), files);
                keyModels.put(k.getKey(), read(files.resolve(k.getValue()), sha, key));
            }
        }
        try {
            return new ScoringModel(manifest, manifestSha, lstm, autoencoder, keyModels);
        } catch (IllegalArgumentException e) {
            throw new BundleException("Bundle at " + files.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks everything {@link #read} checks (format, integrity record and signature, the announced
     * checksum, every file's checksum, per-key sub-bundles) without loading the networks, which needs
     * ND4J: for a client that only submits a job. Returns the manifest.
     */
    public static BundleManifest verify(BundleFiles files, String expectedManifestSha256, SigningKey key) {
        Verified v = verified(files, expectedManifestSha256, key);
        if (v.manifest().keyModels() != null) {
            v.manifest()
                    .keyModels()
                    .forEach((k, dir) -> verify(files.resolve(dir), subManifestSha(v.manifest(), k, dir, files), key));
        }
        return v.manifest();
    }

    /** A bundle's manifest and files, every checksum checked. */
    private record Verified(BundleManifest manifest, String manifestSha256, Map<String, byte[]> content) {}

    private static Verified verified(BundleFiles files, String expectedManifestSha256, SigningKey key) {
        byte[] manifestBytes = readFile(files, BundleManifest.MANIFEST_FILE);
        checkFormat(manifestBytes, files);
        Integrity.verify(files, manifestBytes, key);
        String manifestSha = Checksums.sha256(manifestBytes);
        if (expectedManifestSha256 != null && !expectedManifestSha256.equalsIgnoreCase(manifestSha)) {
            throw new BundleException("Bundle at " + files.location() + ": manifest.json has SHA-256 " + manifestSha
                    + " but " + expectedManifestSha256 + " was announced; the bundle was changed after publishing");
        }
        BundleManifest manifest = parse(manifestBytes, files);
        if (manifest.files() == null || manifest.files().isEmpty()) {
            throw new BundleException("Bundle at " + files.location() + ": the manifest lists no files");
        }
        Map<String, byte[]> content = new HashMap<>();
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            byte[] bytes = readFile(files, f.getKey());
            String actual = Checksums.sha256(bytes);
            if (!actual.equalsIgnoreCase(f.getValue())) {
                throw new BundleException("Bundle at " + files.location() + ": " + f.getKey() + " has SHA-256 " + actual
                        + " but the manifest records " + f.getValue() + "; the file is corrupt or was replaced");
            }
            content.put(f.getKey(), bytes);
        }
        return new Verified(manifest, manifestSha, content);
    }

    private static String subManifestSha(BundleManifest manifest, String key, String dir, BundleFiles files) {
        String subManifest = dir + "/" + BundleManifest.MANIFEST_FILE;
        String sha = manifest.files().get(subManifest);
        if (sha == null) {
            throw new BundleException("Bundle at " + files.location() + ": the model for key " + key
                    + " is not covered by a checksum (" + subManifest + " is not in files)");
        }
        return sha;
    }

    /**
     * Refuses a manifest of another format version before anything else is read, so that a bundle of
     * an older Vigil is told apart from a damaged one.
     */
    private static void checkFormat(byte[] manifestBytes, BundleFiles files) {
        int version;
        try {
            version = JSON.readTree(manifestBytes).path("formatVersion").asInt(-1);
        } catch (IOException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": manifest.json is not JSON: " + e.getMessage(), e);
        }
        if (!BundleManifest.readable(version)) {
            throw new BundleException("Bundle at " + files.location() + " has format version " + version
                    + "; this Vigil reads format versions " + BundleManifest.OLDEST_READABLE_FORMAT + " to "
                    + BundleManifest.FORMAT_VERSION
                    + (version < BundleManifest.OLDEST_READABLE_FORMAT
                            ? " (bundles before version 3 have no integrity record for the"
                                    + " manifest's values: train it again with this Vigil)"
                            : ""));
        }
    }

    /** Parses a manifest and checks its format version. */
    public static BundleManifest parse(byte[] manifestBytes, BundleFiles files) {
        BundleManifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, BundleManifest.class);
        } catch (IOException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": manifest.json is not a valid manifest: " + e.getMessage(), e);
        }
        if (!BundleManifest.readable(manifest.formatVersion())) {
            throw new BundleException("Bundle at " + files.location() + " has format version "
                    + manifest.formatVersion() + "; this Vigil reads format versions "
                    + BundleManifest.OLDEST_READABLE_FORMAT + " to " + BundleManifest.FORMAT_VERSION);
        }
        return manifest;
    }

    private static MultiLayerNetwork network(Map<String, byte[]> content, String name, BundleFiles files) {
        byte[] bytes = content.get(name);
        if (bytes == null) {
            throw new BundleException("Bundle at " + files.location() + ": network file " + name
                    + " is not covered by a checksum in the manifest");
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException | RuntimeException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": " + name + " is not a DL4J MultiLayerNetwork: "
                            + e.getMessage(),
                    e);
        }
    }

    private static byte[] readFile(BundleFiles files, String name) {
        try {
            return files.read(name);
        } catch (IOException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": cannot read " + name + " ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        }
    }
}
