package io.vigil.trainer.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} alone, for the commands that cannot take {@code mixinStandardHelpOptions}: its
 * {@code -V/--version} would clash with the bundle {@code --version} option.
 */
final class HelpOption {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;
}
