package io.vigil.trainer.history;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * How to read history files.
 *
 * @param separator CSV field separator, or {@code null} to detect it from the header line (one of
 *     {@code , ; TAB |})
 * @param timestampColumn CSV column with the event time, or {@code null} for the first of
 *     {@code timestamp}, {@code datetime} present (case-insensitive)
 * @param valueColumns the features: CSV columns or Avro channel names, in this order; empty for
 *     every CSV column that is not the timestamp, label or entity column (in header order), or the
 *     sorted union of the Avro channels
 * @param exclude columns or channels that are not features (e.g. SKAB's {@code changepoint})
 * @param labelColumn CSV column (Avro: tag) with the label, a number where non-zero means anomalous;
 *     {@code null} for the first of {@code label}, {@code anomaly} present, or {@link #NO_LABEL} to read
 *     no labels
 * @param entityColumn CSV column with the entity id, or {@code null}: the file name without its
 *     extension is the entity (Avro always uses {@code entityId})
 * @param zone the time zone of timestamps written without an offset
 */
public record HistoryOptions(
        Character separator,
        String timestampColumn,
        List<String> valueColumns,
        List<String> exclude,
        String labelColumn,
        String entityColumn,
        ZoneId zone) {

    /** {@link #labelColumn} value that means: these files carry no labels. */
    public static final String NO_LABEL = "none";

    public static final List<String> DEFAULT_TIMESTAMP_COLUMNS = List.of("timestamp", "datetime");
    public static final List<String> DEFAULT_LABEL_COLUMNS = List.of("label", "anomaly");

    public HistoryOptions {
        valueColumns = valueColumns == null ? List.of() : List.copyOf(valueColumns);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
        zone = zone == null ? ZoneOffset.UTC : zone;
        if (separator != null && (separator == '"' || separator == '\n' || separator == '\r')) {
            throw new IllegalArgumentException(
                    "The separator cannot be a quote or a line break, is '" + separator + "'");
        }
        for (String v : valueColumns) {
            if (exclude.contains(v)) {
                throw new IllegalArgumentException("Column '" + v + "' is both a value column and excluded");
            }
        }
    }

    public static HistoryOptions defaults() {
        return new HistoryOptions(null, null, List.of(), List.of(), null, null, ZoneOffset.UTC);
    }

    public HistoryOptions withSeparator(Character s) {
        return new HistoryOptions(s, timestampColumn, valueColumns, exclude, labelColumn, entityColumn, zone);
    }

    public HistoryOptions withTimestampColumn(String c) {
        return new HistoryOptions(separator, c, valueColumns, exclude, labelColumn, entityColumn, zone);
    }

    public HistoryOptions withValueColumns(List<String> c) {
        return new HistoryOptions(separator, timestampColumn, c, exclude, labelColumn, entityColumn, zone);
    }

    public HistoryOptions withExclude(List<String> c) {
        return new HistoryOptions(separator, timestampColumn, valueColumns, c, labelColumn, entityColumn, zone);
    }

    public HistoryOptions withLabelColumn(String c) {
        return new HistoryOptions(separator, timestampColumn, valueColumns, exclude, c, entityColumn, zone);
    }

    public HistoryOptions withEntityColumn(String c) {
        return new HistoryOptions(separator, timestampColumn, valueColumns, exclude, labelColumn, c, zone);
    }

    public HistoryOptions withZone(ZoneId z) {
        return new HistoryOptions(separator, timestampColumn, valueColumns, exclude, labelColumn, entityColumn, z);
    }

    /** Parses a separator as given on a command line: one character, or {@code \t}/{@code tab}. */
    public static Character parseSeparator(String text) {
        if (text == null || text.equalsIgnoreCase("auto")) {
            return null;
        }
        if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException(
                    "The separator must be one character (or 'tab' or 'auto'), is '" + text + "'");
        }
        return text.charAt(0);
    }

    /** Parses a time zone id such as {@code UTC} or {@code Europe/Moscow}. */
    public static ZoneId parseZone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "Unknown time zone '" + text + "': use e.g. UTC, +03:00 or Europe/Moscow");
        }
    }

    boolean labelsDisabled() {
        return NO_LABEL.equalsIgnoreCase(labelColumn);
    }
}
