package io.vigil.scoring.bundle;

import java.io.IOException;

/**
 * Read access to the files of one bundle directory, wherever it lives: a local directory here, any
 * Flink file system in the job.
 */
public interface BundleFiles {

    /** The whole content of a file, by its path relative to the bundle directory. */
    byte[] read(String relativePath) throws IOException;

    /** The files below the bundle directory in a sub-directory, for per-key sub-bundles. */
    BundleFiles resolve(String relativeDirectory);

    /** Where the bundle is, for messages. */
    String location();
}
