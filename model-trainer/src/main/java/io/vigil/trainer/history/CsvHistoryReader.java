package io.vigil.trainer.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads history from delimited text with a header row; {@link HistoryOptions} says which column is what. */
final class CsvHistoryReader {

    private CsvHistoryReader() {}

    /** What a file's header says: the separator and where the timestamp, label, entity and values are. */
    record Header(
            Path file,
            char separator,
            List<String> columns,
            int timestamp,
            int label,
            int entity,
            List<String> valueColumns) {

        int indexOf(String column) {
            return columns.indexOf(column);
        }
    }

    static Header header(Path file, HistoryOptions o) throws IOException {
        String first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = in.readLine();
        }
        if (first == null || first.isBlank()) {
            throw new HistoryException(file + " is empty; a history file needs a header row and data rows");
        }
        char sep = o.separator() != null ? o.separator() : CsvRecords.detectSeparator(first);
        String[] cells;
        try (CsvRecords records =
                new CsvRecords(Files.newBufferedReader(file, StandardCharsets.UTF_8), sep, file.toString())) {
            cells = records.next();
        }
        List<String> columns = new ArrayList<>();
        for (String c : cells) {
            String name = c.trim();
            if (columns.contains(name)) {
                throw new HistoryException(file + " line 1: column '" + name + "' appears twice in the header");
            }
            columns.add(name);
        }
        int ts = o.timestampColumn() != null
                ? required(file, columns, o.timestampColumn(), "timestamp", "--timestamp-column")
                : firstPresent(columns, HistoryOptions.DEFAULT_TIMESTAMP_COLUMNS);
        if (ts < 0) {
            throw new HistoryException(file + ": no timestamp column: looked for "
                    + HistoryOptions.DEFAULT_TIMESTAMP_COLUMNS + " in the header " + columns
                    + " (separator '" + printable(sep) + "'); name it with --timestamp-column, or set --separator");
        }
        int label = o.labelsDisabled()
                ? -1
                : o.labelColumn() != null
                        ? required(file, columns, o.labelColumn(), "label", "--label-column")
                        : firstPresent(columns, HistoryOptions.DEFAULT_LABEL_COLUMNS);
        int entity =
                o.entityColumn() == null ? -1 : required(file, columns, o.entityColumn(), "entity", "--entity-column");
        List<String> values = new ArrayList<>();
        if (!o.valueColumns().isEmpty()) {
            for (String v : o.valueColumns()) {
                values.add(columns.get(required(file, columns, v, "value", "--value-columns")));
            }
        } else {
            for (int i = 0; i < columns.size(); i++) {
                if (i != ts && i != label && i != entity && !excluded(o, columns.get(i))) {
                    values.add(columns.get(i));
                }
            }
        }
        for (String v : values) {
            int i = columns.indexOf(v);
            if (i == ts || i == label || i == entity) {
                throw new HistoryException(file + ": column '" + v + "' cannot be both a value and the "
                        + (i == ts ? "timestamp" : i == label ? "label" : "entity") + " column");
            }
        }
        if (values.isEmpty()) {
            throw new HistoryException(file + ": no value columns left in the header " + columns
                    + " after the timestamp, label, entity and excluded columns");
        }
        return new Header(file, sep, List.copyOf(columns), ts, label, entity, List.copyOf(values));
    }

    /**
     * Reads the rows of {@code file}, values in {@code features} order, into the builders of their
     * entities ({@code defaultEntity} when the file has no entity column).
     */
    static void read(
            Header h, List<String> features, HistoryOptions o, String defaultEntity, Map<String, SeriesBuilder> into)
            throws IOException {
        int[] valueIndex = new int[features.size()];
        for (int j = 0; j < valueIndex.length; j++) {
            valueIndex[j] = h.indexOf(features.get(j));
        }
        String name = h.file().toString();
        try (CsvRecords records =
                new CsvRecords(Files.newBufferedReader(h.file(), StandardCharsets.UTF_8), h.separator(), name)) {
            records.next(); // header
            String[] cells;
            int dataRows = 0;
            while ((cells = records.next()) != null) {
                int line = records.line();
                if (cells.length != h.columns().size()) {
                    throw new HistoryException(
                            name + " line " + line + ": " + cells.length + " cells, but the header has "
                                    + h.columns().size() + " (separator '" + printable(h.separator()) + "')");
                }
                long time;
                try {
                    time = Timestamps.parse(cells[h.timestamp()], o.zone());
                } catch (IllegalArgumentException e) {
                    throw cellError(name, line, h.columns().get(h.timestamp()), cells[h.timestamp()], e);
                }
                double[] row = new double[valueIndex.length];
                for (int j = 0; j < valueIndex.length; j++) {
                    String text = cells[valueIndex[j]];
                    try {
                        row[j] = Numbers.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw cellError(name, line, features.get(j), text, e);
                    }
                }
                Boolean label = null;
                if (h.label() >= 0) {
                    try {
                        label = Numbers.parseLabel(cells[h.label()]);
                    } catch (IllegalArgumentException e) {
                        throw cellError(name, line, h.columns().get(h.label()), cells[h.label()], e);
                    }
                }
                String entity = defaultEntity;
                if (h.entity() >= 0) {
                    entity = cells[h.entity()].trim();
                    if (entity.isEmpty()) {
                        throw new HistoryException(name + " line " + line + ", column '"
                                + h.columns().get(h.entity()) + "': the entity id is empty");
                    }
                }
                into.computeIfAbsent(entity, SeriesBuilder::new)
                        .add(time, row, label, h.file().getFileName().toString());
                dataRows++;
            }
            if (dataRows == 0) {
                throw new HistoryException(name + " has a header but no data rows");
            }
        }
    }

    private static HistoryException cellError(
            String file, int line, String column, String text, IllegalArgumentException e) {
        // the parsers' messages complete "'<text>' is ..."
        return new HistoryException(
                file + " line " + line + ", column '" + column + "': '" + text + "' is " + e.getMessage(), e);
    }

    private static int required(Path file, List<String> columns, String name, String what, String option) {
        int i = columns.indexOf(name);
        if (i < 0) {
            i = firstPresent(columns, List.of(name));
        }
        if (i < 0) {
            throw new HistoryException(
                    file + ": " + what + " column '" + name + "' (" + option + ") is not in the header " + columns);
        }
        return i;
    }

    private static int firstPresent(List<String> columns, List<String> candidates) {
        for (String c : candidates) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).toLowerCase(Locale.ROOT).equals(c.toLowerCase(Locale.ROOT))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean excluded(HistoryOptions o, String column) {
        return o.exclude().stream().anyMatch(e -> e.equals(column) || e.equalsIgnoreCase(column));
    }

    private static String printable(char sep) {
        return sep == '\t' ? "\\t" : String.valueOf(sep);
    }
}
