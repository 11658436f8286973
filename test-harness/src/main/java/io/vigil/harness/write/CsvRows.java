package io.vigil.harness.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV file the harness writes row by row, through Commons CSV (the library that reads such files back):
 * created with its parent directories (replacing any file there) and its header, one line per row ending
 * in {@code \n}, a field quoted only where it must be; rows are counted and an I/O error names the file.
 */
public final class CsvRows implements AutoCloseable {

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private final Path path;
    private final CSVPrinter printer;
    private long rows;

    public CsvRows(Path path, List<String> header) {
        this.path = path;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.printer = new CSVPrinter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), FORMAT);
            printer.printRecord(header);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + path + " for writing", e);
        }
    }

    /** Adds a field to the current row. */
    public void field(Object value) {
        try {
            printer.print(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write to " + path, e);
        }
    }

    /** Ends the current row. */
    public void endRow() {
        try {
            printer.println();
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
            printer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not finish " + path, e);
        }
    }
}
