package io.vigil.trainer.history;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Splits delimited text into records, honouring double-quoted fields (RFC 4180) that may span lines. */
final class CsvRecords implements Closeable {

    private final BufferedReader in;
    private final char separator;
    private final String file;
    private int line;
    private int recordLine;

    CsvRecords(BufferedReader in, char separator, String file) {
        this.in = in;
        this.separator = separator;
        this.file = file;
    }

    /** The next non-blank record, or {@code null} at the end of the input. */
    String[] next() throws IOException {
        String text;
        do {
            text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        recordLine = line;
        if (recordLine == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a UTF-8 byte order mark, as spreadsheet exports write
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) {
                    break;
                }
                String more = in.readLine();
                if (more == null) {
                    throw new HistoryException(file + " line " + recordLine + ": a quoted field is never closed");
                }
                line++;
                cell.append('\n');
                text = more;
                i = 0;
                continue;
            }
            char ch = text.charAt(i++);
            if (quoted) {
                if (ch == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (ch == separator) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(new String[0]);
    }

    /** The line the last record returned by {@link #next} starts on (1-based). */
    int line() {
        return recordLine;
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
        in.close();
    }
}
