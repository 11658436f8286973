package io.vigil.scoring.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bundle's files held in memory, so that a reader that has verified a bundle once can keep it
 * (the job keeps the model it scores with in its checkpoints, and carries the one it starts with from
 * the submission) and read it again without its store. {@link #recording} wraps another
 * {@link BundleFiles} and keeps every file read through it; reading the copy again goes through
 * {@link BundleReader} and so is verified again.
 */
public final class BundleBytes implements BundleFiles, Serializable {

    private static final long serialVersionUID = 1L;
    private static final int FORMAT = 1;

    private final String location;
    private final String prefix;
    private final Map<String, byte[]> files;
    private final transient BundleFiles source;

    private BundleBytes(String location, String prefix, Map<String, byte[]> files, BundleFiles source) {
        this.location = location;
        this.prefix = prefix;
        this.files = files;
        this.source = source;
    }

    /** Reads through {@code source}, keeping a copy of every file read (sub-bundles included). */
    public static BundleBytes recording(BundleFiles source) {
        return new BundleBytes(source.location(), "", new LinkedHashMap<>(), source);
    }

    @Override
    public byte[] read(String relativePath) throws IOException {
        String path = prefix + relativePath;
        if (source != null) {
            byte[] bytes = source.read(relativePath);
            files.put(path, bytes);
            return bytes;
        }
        byte[] bytes = files.get(path);
        if (bytes == null) {
            throw new FileNotFoundException("the copy of the bundle from " + location + " has no " + relativePath);
        }
        return bytes;
    }

    @Override
    public BundleBytes resolve(String relativeDirectory) {
        return new BundleBytes(
                location + "/" + relativeDirectory,
                prefix + relativeDirectory + "/",
                files,
                source == null ? null : source.resolve(relativeDirectory));
    }

    /** Where the bundle was read from. */
    @Override
    public String location() {
        return location;
    }

    /** The copy alone, without the source it was read from. */
    public BundleBytes detached() {
        return new BundleBytes(location, prefix, Map.copyOf(files), null);
    }

    /** Bytes in all files held. */
    public long size() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    /** The copy as one block of bytes (for operator state). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(location);
            out.writeInt(files.size());
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.writeUTF(f.getKey());
                out.writeInt(f.getValue().length);
                out.write(f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A copy from {@link #toBytes}. */
    public static BundleBytes fromBytes(byte[] block) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(block))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new BundleException(
                        "A kept copy of a bundle has format " + format + "; this Vigil reads " + FORMAT);
            }
            String location = in.readUTF();
            int n = in.readInt();
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String path = in.readUTF();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                files.put(path, b);
            }
            return new BundleBytes(location, "", Map.copyOf(files), null);
        } catch (IOException e) {
            throw new BundleException("A kept copy of a bundle is damaged: " + e.getMessage(), e);
        }
    }
}
