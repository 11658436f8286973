package io.vigil.harness.write;

import io.vigil.harness.generate.LabeledReading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes readings as the CSV the trainer reads: a header {@code timestamp,entity,<channels...>,label},
 * then one row per reading with the timestamp in epoch milliseconds, values in Java's shortest
 * round-trip notation and the label as 0 (normal) or 1 (anomalous).
 */
public final class ReadingCsvWriter implements ReadingSink {

    private final CsvRows csv;
    private final int channels;

    public ReadingCsvWriter(Path path, List<String> channels) {
        this.channels = channels.size();
        List<String> header = new ArrayList<>();
        header.add("timestamp");
        header.add("entity");
        header.addAll(channels);
        header.add("label");
        this.csv = new CsvRows(path, header);
    }

    @Override
    public void accept(LabeledReading r) {
        if (r.channelCount() != channels) {
            throw new IllegalArgumentException("reading of " + r.entityId() + " has " + r.channelCount()
                    + " values but the CSV has " + channels + " channel columns");
        }
        csv.field(r.eventTime().toEpochMilli());
        csv.field(r.entityId());
        for (int c = 0; c < channels; c++) {
            csv.field(r.value(c));
        }
        csv.field(r.anomalous() ? "1" : "0");
        csv.endRow();
    }

    /** Data rows written so far (the header not counted). */
    public long rows() {
        return csv.rows();
    }

    public Path path() {
        return csv.path();
    }

    @Override
    public void close() {
        csv.close();
    }
}
