package io.vigil.scoring.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A bundle in a local directory. */
public final class LocalBundleFiles implements BundleFiles {

    private final Path dir;

    public LocalBundleFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public byte[] read(String relativePath) throws IOException {
        Path file = dir.resolve(relativePath).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new IOException("Refusing to read " + relativePath + ": it is outside the bundle directory " + dir);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the bundle has no file " + relativePath);
        }
    }

    @Override
    public BundleFiles resolve(String relativeDirectory) {
        return new LocalBundleFiles(dir.resolve(relativeDirectory));
    }

    @Override
    public String location() {
        return dir.toAbsolutePath().toString();
    }
}
