package io.vigil.harness.write;

import io.vigil.harness.generate.LabeledReading;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes readings as the CSV the trainer reads: a header {@code timestamp,entity,<channels...>,label},
 * then one row per reading with the timestamp in epoch milliseconds, values in Java's shortest
 * round-trip notation and the label as 0 (normal) or 1 (anomalous).
 */
public final class ReadingCsvWriter implements ReadingSink {

    private final Path path;
    private final BufferedWriter out;
    private final int channels;
    private long rows;

    public ReadingCsvWriter(Path path, List<String> channels) {
        this.path = path;
        this.channels = channels.size();
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            out.write("timestamp,entity," + String.join(",", channels) + ",label\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + path + " for writing", e);
        }
    }

    @Override
    public void accept(LabeledReading r) {
        if (r.channelCount() != channels) {
            throw new IllegalArgumentException("reading of " + r.entityId() + " has " + r.channelCount()
                    + " values but the CSV has " + channels + " channel columns");
        }
        StringBuilder line = new StringBuilder(64 + 20 * channels);
        line.append(r.eventTime().toEpochMilli()).append(',').append(r.entityId());
        for (int c = 0; c < channels; c++) {
            line.append(',').append(r.value(c));
        }
        line.append(',').append(r.anomalous() ? '1' : '0').append('\n');
        try {
            out.write(line.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write to " + path, e);
        }
        rows++;
    }

    /** Data rows written so far (the header not counted). */
    public long rows() {
        return rows;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not finish " + path, e);
        }
    }
}
