package io.vigil.harness.truth;

import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.write.CsvRows;
import io.vigil.harness.write.ReadingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The per-event labels file, {@code entity,timestamp,label} with the timestamp in epoch milliseconds
 * and the label 0 or 1: written while a stream is generated, read back by the evaluator.
 */
public final class EventLabelsCsv implements ReadingSink {

    static final String HEADER = "entity,timestamp,label";

    private final CsvRows csv;

    /** Opens {@code path} for writing (replacing it) and writes the header. */
    public EventLabelsCsv(Path path) {
        this.csv = new CsvRows(path, List.of(HEADER.split(",")));
    }

    @Override
    public void accept(LabeledReading r) {
        csv.field(r.entityId());
        csv.field(r.eventTime().toEpochMilli());
        csv.field(r.anomalous() ? "1" : "0");
        csv.endRow();
    }

    public long rows() {
        return csv.rows();
    }

    @Override
    public void close() {
        csv.close();
    }

    /** Reads a labels file (with Commons CSV); fails naming the line when a row is malformed. */
    public static List<EventLabel> read(Path path) {
        List<EventLabel> labels = new ArrayList<>();
        try (CSVParser parser = CSVFormat.RFC4180
                .builder()
                .setIgnoreEmptyLines(true)
                .get()
                .parse(Files.newBufferedReader(path, StandardCharsets.UTF_8))) {
            Iterator<CSVRecord> records = parser.iterator();
            String header = records.hasNext() ? String.join(",", records.next().toList()) : null;
            if (header == null || !header.trim().equals(HEADER)) {
                throw new IllegalArgumentException(
                        path + " is not a labels file: the first line must be '" + HEADER + "', is '" + header + "'");
            }
            while (records.hasNext()) {
                CSVRecord r = records.next();
                long number = parser.getCurrentLineNumber();
                if (r.size() != 3 || !(r.get(2).equals("0") || r.get(2).equals("1"))) {
                    throw new IllegalArgumentException(path + ":" + number + ": expected entity,timestamp,0|1, got '"
                            + String.join(",", r.toList()) + "'");
                }
                try {
                    labels.add(new EventLabel(
                            r.get(0), Long.parseLong(r.get(1)), r.get(2).equals("1")));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            path + ":" + number + ": timestamp must be epoch milliseconds, got '" + r.get(1) + "'", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read labels from " + path, e);
        }
        return labels;
    }
}
