package io.vigil.scoring.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes a bundle directory: both networks, per-key sub-bundles, a manifest with every file's SHA-256,
 * and the manifest's own integrity record ({@link Integrity}).
 */
public final class BundleWriter {

    public static final String LSTM_FILE = "lstm.zip";
    public static final String AUTOENCODER_FILE = "autoencoder.zip";

    private BundleWriter() {}

    /** What one (sub-)bundle consists of before it is written. */
    public record Draft(
            BundleManifest manifest,
            MultiLayerNetwork lstm,
            MultiLayerNetwork autoencoder,
            Map<String, Draft> keyModels) {}

    /**
     * Writes {@code draft} into {@code dir} (which must be empty or absent) and returns the SHA-256 of
     * the manifest written, signed with the key configured in the environment if there is one
     * ({@link SigningKey#fromEnvironment}).
     */
    public static String write(Path dir, Draft draft) throws IOException {
        return write(dir, draft, SigningKey.fromEnvironment());
    }

    /**
     * Writes {@code draft} into {@code dir} (which must be empty or absent) and returns the SHA-256 of
     * the manifest written. The manifest's file names and checksums are filled in here, and
     * {@value Integrity#FILE} records the manifest's own checksum and each value's digest, signed with
     * {@code key} unless it is null.
     */
    public static String write(Path dir, Draft draft, SigningKey key) throws IOException {
        Files.createDirectories(dir);
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("Refusing to write a bundle into " + dir + ": it is not empty");
            }
        }
        Map<String, String> files = new TreeMap<>();
        files.put(LSTM_FILE, writeNetwork(dir.resolve(LSTM_FILE), draft.lstm()));
        files.put(AUTOENCODER_FILE, writeNetwork(dir.resolve(AUTOENCODER_FILE), draft.autoencoder()));
        Map<String, String> keyDirs = null;
        if (draft.keyModels() != null && !draft.keyModels().isEmpty()) {
            keyDirs = new TreeMap<>();
            int i = 0;
            for (Map.Entry<String, Draft> k : new TreeMap<>(draft.keyModels()).entrySet()) {
                String sub = "keys/" + (i++);
                String sha = write(dir.resolve(sub), k.getValue(), key);
                keyDirs.put(k.getKey(), sub);
                files.put(sub + "/" + BundleManifest.MANIFEST_FILE, sha);
            }
        }
        BundleManifest complete = draft.manifest().asWritten(LSTM_FILE, AUTOENCODER_FILE, keyDirs, files);
        byte[] manifestBytes = BundleReader.JSON.writeValueAsBytes(complete);
        Files.write(dir.resolve(BundleManifest.MANIFEST_FILE), manifestBytes);
        Files.write(dir.resolve(Integrity.FILE), BundleReader.JSON.writeValueAsBytes(Integrity.of(manifestBytes, key)));
        return Checksums.sha256(manifestBytes);
    }

    private static String writeNetwork(Path file, MultiLayerNetwork net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        byte[] content = bytes.toByteArray();
        Files.write(file, content);
        return Checksums.sha256(content);
    }

    /** Serialises a manifest the way the writer does (used by tools that rewrite one). */
    public static byte[] toJson(BundleManifest manifest) throws IOException {
        return BundleReader.JSON.writeValueAsBytes(manifest);
    }
}
