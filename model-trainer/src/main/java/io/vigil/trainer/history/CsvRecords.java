package io.vigil.trainer.history;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Delimited text as records, read by Apache Commons CSV (RFC 4180: double-quoted fields, which may span
 * lines); blank lines are skipped, a UTF-8 byte order mark (as spreadsheet exports write) is dropped, and
 * each record knows the line it starts on, for error messages.
 */
final class CsvRecords implements Closeable {

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final String file;
    private long recordLine;

    CsvRecords(Reader in, char separator, String file) throws IOException {
        this.file = file;
        this.parser = CSVFormat.RFC4180
                .builder()
                .setDelimiter(separator)
                .setIgnoreEmptyLines(false)
                .get()
                .parse(in);
        this.records = parser.iterator();
    }

    /** The next non-blank record, or {@code null} at the end of the input. */
    String[] next() {
        while (true) {
            long before = parser.getCurrentLineNumber();
            CSVRecord r;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                r = records.next();
            } catch (UncheckedIOException e) {
                throw new HistoryException(file + " line " + (before + 1) + ": "
                        + e.getCause().getMessage() + " (a quoted field that is never closed?)");
            }
            if (r.size() == 1 && r.get(0).isBlank()) {
                continue;
            }
            recordLine = before + 1;
            String[] cells = r.values();
            if (recordLine == 1 && !cells[0].isEmpty() && cells[0].charAt(0) == '\uFEFF') {
                cells[0] = cells[0].substring(1);
            }
            return cells;
        }
    }

    /** The line the last record returned by {@link #next} starts on (1-based). */
    int line() {
        return (int) recordLine;
    }

    /** The separator a header line most likely uses: the most frequent of , ; TAB | outside quotes. */
    static char detectSeparator(String header) {
        char[] candidates = {',', ';', '\t', '|'};
        int[] counts = new int[candidates.length];
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char ch = header.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    counts[k] += ch == candidates[k] ? 1 : 0;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return candidates[best];
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
