package io.vigil.trainer.cli;

import io.vigil.trainer.history.HistoryOptions;
import java.time.ZoneId;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --time-zone} of every command that reads history whose timestamps may lack an offset. */
final class TimeZoneOption {

    @Option(
            names = "--time-zone",
            paramLabel = "<zone>",
            defaultValue = "UTC",
            description = "Zone of timestamps written without an offset, e.g. UTC or Europe/Moscow.")
    String text;

    /** The zone; a usage error on {@code --time-zone} if it is unknown. */
    ZoneId parse(CommandSpec spec) {
        try {
            return HistoryOptions.parseZone(text);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, "--time-zone", e.getMessage());
        }
    }
}
