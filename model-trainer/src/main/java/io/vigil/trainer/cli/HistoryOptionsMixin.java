package io.vigil.trainer.cli;

import io.vigil.trainer.history.HistoryOptions;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options that say how to read history files, shared by {@code train} and {@code evaluate}. */
final class HistoryOptionsMixin {

    @Mixin
    SeparatorOption separator;

    @Option(
            names = "--timestamp-column",
            paramLabel = "<name>",
            description = "CSV column with the event time (default: 'timestamp', else 'datetime'). Epoch s/ms,"
                    + " ISO-8601 or 'yyyy-MM-dd HH:mm:ss'.")
    String timestampColumn;

    @Option(
            names = "--value-columns",
            paramLabel = "<name>",
            split = ",",
            description = "The features, in order (CSV columns or Avro channels). Default: every CSV column except"
                    + " timestamp, label, entity and --exclude; for Avro the sorted union of channels.")
    List<String> valueColumns;

    @Option(
            names = "--exclude",
            paramLabel = "<name>",
            split = ",",
            description = "Columns or channels that are not features, e.g. --exclude changepoint.")
    List<String> exclude;

    @Option(
            names = "--label-column",
            paramLabel = "<name>",
            description = "Label column (Avro: tag), a number where non-zero = anomalous; 'none' for no labels."
                    + " Default: 'label', else 'anomaly', if present.")
    String labelColumn;

    @Option(
            names = "--entity-column",
            paramLabel = "<name>",
            description = "CSV column with the entity id. Default: the file name without extension is the entity.")
    String entityColumn;

    @Mixin
    TimeZoneOption timeZone;

    /**
     * The options; a bad separator or zone is a usage error naming its option, columns that do not go
     * together an IllegalArgumentException.
     */
    HistoryOptions toOptions(CommandSpec spec) {
        return new HistoryOptions(
                separator.parse(spec),
                timestampColumn,
                valueColumns,
                exclude,
                labelColumn,
                entityColumn,
                timeZone.parse(spec));
    }
}
