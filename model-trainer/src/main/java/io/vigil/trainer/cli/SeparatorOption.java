package io.vigil.trainer.cli;

import io.vigil.trainer.history.HistoryOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --separator} of every command that reads CSV history, sensor or transaction. */
final class SeparatorOption {

    @Option(
            names = "--separator",
            paramLabel = "<char>",
            defaultValue = "auto",
            description = "CSV field separator: one character, 'tab', or 'auto' to detect , ; TAB | from the header.")
    String text;

    /** The separator, or null to detect it from the header; a usage error on {@code --separator} if it is none. */
    Character parse(CommandSpec spec) {
        try {
            return HistoryOptions.parseSeparator(text);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "--separator", e.getMessage());
        }
    }
}
