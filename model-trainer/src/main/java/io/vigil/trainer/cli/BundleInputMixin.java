package io.vigil.trainer.cli;

import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -b/--bundle} of the commands that score with a bundle: the directory, read and verified as the job does. */
final class BundleInputMixin {

    @Option(
            names = {"-b", "--bundle"},
            paramLabel = "<dir>",
            required = true,
            description = "The bundle directory.")
    Path dir;

    /** The bundle's model; a missing directory is a {@link NoSuchFileException} that says so. */
    ScoringModel read() throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no bundle directory here");
        }
        return BundleReader.read(new LocalBundleFiles(dir), null);
    }
}
