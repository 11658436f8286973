package io.vigil.job.model;

import io.vigil.scoring.bundle.BundleFiles;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/** A bundle (or the model store root) on any Flink file system: local, S3, HDFS, ... */
public final class FlinkBundleFiles implements BundleFiles {

    private final Path dir;

    public FlinkBundleFiles(String uri) {
        this(new Path(uri));
    }

    public FlinkBundleFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public byte[] read(String relativePath) throws IOException {
        if (relativePath.contains("..")) {
            throw new IOException("Refusing to read " + relativePath + ": it leaves the bundle directory " + dir);
        }
        Path file = new Path(dir, relativePath);
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(file)) {
            throw new FileNotFoundException(file + " does not exist");
        }
        try (InputStream in = fs.open(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Override
    public FlinkBundleFiles resolve(String relativeDirectory) {
        return new FlinkBundleFiles(new Path(dir, relativeDirectory));
    }

    @Override
    public String location() {
        return dir.toString();
    }
}
