package io.vigil.scoring.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model store layout: {@code <store>/<modelId>/<version>/} holds one immutable bundle and
 * {@code <store>/<modelId>/LATEST} names the newest published version. Publishing copies the bundle
 * under a temporary name and renames it into place, then replaces LATEST by rename, so a reader sees
 * either the old or the new bundle, never half of one.
 */
public final class ModelStore {

    public static final String LATEST = "LATEST";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ModelStore() {}

    /** Path of a bundle relative to the store root. */
    public static String bundlePath(String modelId, String version) {
        return checkName("model id", modelId) + "/" + checkName("version", version);
    }

    /** Path of the LATEST pointer relative to the store root. */
    public static String latestPath(String modelId) {
        return checkName("model id", modelId) + "/" + LATEST;
    }

    /** The newest published version of a model, read through any {@link BundleFiles} at the store root. */
    public static String latestVersion(BundleFiles store, String modelId) {
        try {
            String v = new String(store.read(latestPath(modelId)), StandardCharsets.UTF_8).trim();
            return checkName("version in " + latestPath(modelId), v);
        } catch (IOException e) {
            throw new BundleException(
                    "Model store " + store.location() + " has no published version of model '"
                            + modelId + "' (" + latestPath(modelId) + " unreadable: " + e.getMessage()
                            + "). Publish one with: vigil-trainer publish --bundle <dir> --store " + store.location(),
                    e);
        }
    }

    /**
     * Verifies the bundle in {@code bundleDir}, copies it to {@code <store>/<modelId>/<version>}
     * atomically and points LATEST at it. Returns the published, verified model.
     */
    public static ScoringModel publish(Path bundleDir, Path store) throws IOException {
        ScoringModel model = BundleReader.read(new LocalBundleFiles(bundleDir), null);
        Path modelDir = store.resolve(checkName("model id", model.modelId()));
        Path target = modelDir.resolve(checkName("version", model.version()));
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(),
                    null,
                    "version " + model.version() + " of " + model.modelId() + " is already published; bundles are"
                            + " immutable, train a new version instead");
        }
        Files.createDirectories(modelDir);
        Path staging = modelDir.resolve(".staging-" + model.version() + "-" + UUID.randomUUID());
        copyTree(bundleDir, staging);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        Path pointer = modelDir.resolve("." + LATEST + "-" + UUID.randomUUID());
        Files.writeString(pointer, model.version() + "\n", StandardCharsets.UTF_8);
        Files.move(
                pointer, modelDir.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return BundleReader.read(new LocalBundleFiles(target), model.manifestSha256());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    /** Checks a model id or version is safe as a directory name; returns it. */
    public static String checkName(String what, String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new BundleException("Invalid " + what + " '" + name
                    + "': use letters, digits, '.', '_' or '-' (at most 128, not starting with '.')");
        }
        return name;
    }
}
