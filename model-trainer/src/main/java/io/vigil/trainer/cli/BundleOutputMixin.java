package io.vigil.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code -o/--output} of the commands that train a bundle: a new or empty directory, as bundles are immutable. */
final class BundleOutputMixin {

    @Option(
            names = {"-o", "--output"},
            paramLabel = "<dir>",
            required = true,
            description = "Bundle directory to write; must not exist or be empty.")
    Path dir;

    /** The directory, after a usage error on {@code --output} if it is a file or a directory with files in it. */
    Path checked(CommandSpec spec) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw Cli.usage(spec, "--output", dir + " is a file; give a new directory for the bundle");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw Cli.usage(
                            spec,
                            "--output",
                            dir + " is not empty; bundles are immutable, so write each one to a new directory");
                }
            }
        }
        return dir;
    }
}
