package io.vigil.trainer.history;

import io.vigil.scoring.FeatureSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads CSV and Avro history files into one {@link History}. Every file must give the same features;
 * rows of one entity from several files are merged and sorted by time.
 *
 * <pre>{@code
 * History h = HistoryReader.read(List.of(Path.of("valve1/0.csv")),
 *         HistoryOptions.defaults().withExclude(List.of("changepoint")));
 * }</pre>
 */
public final class HistoryReader {

    private HistoryReader() {}

    public static History read(Path file, HistoryOptions options) throws IOException {
        return read(List.of(file), options);
    }

    /**
     * Reads one file with its rows in file order, not sorted by time: for benchmarks whose protocol
     * scores rows by position (NAB), where repeated timestamps and rows out of order are data too.
     */
    public static History readInFileOrder(Path file, HistoryOptions options) throws IOException {
        return read(List.of(file), options, false);
    }

    /**
     * Reads {@code paths} (files, or directories whose {@code .csv} and {@code .avro} files are read).
     * Avro files are recognised by their magic bytes, anything else is read as CSV.
     *
     * @throws NoSuchFileException naming a path that does not exist
     * @throws HistoryException naming the file, line and column of anything malformed
     */
    public static History read(List<Path> paths, HistoryOptions options) throws IOException {
        return read(paths, options, true);
    }

    private static History read(List<Path> paths, HistoryOptions options, boolean sortByTime) throws IOException {
        List<Path> files = expand(paths);
        List<CsvHistoryReader.Header> csv = new ArrayList<>();
        List<Path> avro = new ArrayList<>();
        for (Path f : files) {
            if (AvroHistoryReader.isAvro(f)) {
                avro.add(f);
            } else {
                csv.add(CsvHistoryReader.header(f, options));
            }
        }
        List<String> features = features(csv, avro, options);
        FeatureSpec spec = new FeatureSpec(features);
        Map<Path, String> entities = defaultEntities(csv);
        Map<String, SeriesBuilder> builders = new TreeMap<>();
        for (CsvHistoryReader.Header h : csv) {
            CsvHistoryReader.read(h, features, options, entities.get(h.file()), builders);
        }
        for (Path f : avro) {
            AvroHistoryReader.read(f, spec, options, builders);
        }
        List<EntitySeries> series = new ArrayList<>();
        for (SeriesBuilder b : builders.values()) {
            series.add(b.build(sortByTime));
        }
        return new History(spec, series, files.stream().map(Path::toString).toList());
    }

    private static List<Path> expand(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("No history files given");
        }
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "history file not found");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    List<Path> found = list.filter(Files::isRegularFile)
                            .filter(HistoryReader::isHistoryFile)
                            .sorted()
                            .toList();
                    if (found.isEmpty()) {
                        throw new HistoryException("Directory " + p + " has no .csv or .avro files");
                    }
                    files.addAll(found);
                }
            } else {
                files.add(p);
            }
        }
        return List.copyOf(files);
    }

    private static boolean isHistoryFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".avro");
    }

    private static List<String> features(List<CsvHistoryReader.Header> csv, List<Path> avro, HistoryOptions o)
            throws IOException {
        List<String> reference;
        String referenceFile;
        if (!o.valueColumns().isEmpty()) {
            reference = o.valueColumns();
            referenceFile = "--value-columns";
        } else if (!csv.isEmpty()) {
            reference = csv.get(0).valueColumns();
            referenceFile = csv.get(0).file().toString();
        } else {
            Set<String> union = new TreeSet<>();
            for (Path f : avro) {
                union.addAll(AvroHistoryReader.channels(f));
            }
            union.removeIf(c -> o.exclude().stream().anyMatch(c::equalsIgnoreCase));
            if (union.isEmpty()) {
                throw new HistoryException("The Avro files " + avro + " carry no channels (after --exclude)");
            }
            reference = List.copyOf(union);
            referenceFile = "the Avro files";
        }
        for (CsvHistoryReader.Header h : csv) {
            Set<String> missing = new TreeSet<>(reference);
            missing.removeAll(h.valueColumns());
            Set<String> extra = new TreeSet<>(h.valueColumns());
            extra.removeAll(reference);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new HistoryException("File " + h.file() + " has value columns " + h.valueColumns() + " but "
                        + referenceFile + " has " + reference + (missing.isEmpty() ? "" : "; missing: " + missing)
                        + (extra.isEmpty() ? "" : "; extra: " + extra)
                        + ". All files must have the same features: choose them with --value-columns or --exclude");
            }
        }
        return reference;
    }

    /**
     * The entity of each CSV file without an entity column: its name without extension, or, when two
     * files share a name (SKAB's valve1/0.csv and valve2/0.csv), parent/name, and failing that the path.
     */
    private static Map<Path, String> defaultEntities(List<CsvHistoryReader.Header> csv) {
        Map<String, Integer> count = new HashMap<>();
        for (CsvHistoryReader.Header h : csv) {
            count.merge(baseName(h.file()), 1, Integer::sum);
        }
        Map<Path, String> names = new HashMap<>();
        Map<String, Integer> withParent = new HashMap<>();
        for (CsvHistoryReader.Header h : csv) {
            withParent.merge(parentName(h.file()), 1, Integer::sum);
        }
        for (CsvHistoryReader.Header h : csv) {
            String base = baseName(h.file());
            String name = count.get(base) == 1
                    ? base
                    : withParent.get(parentName(h.file())) == 1
                            ? parentName(h.file())
                            : stripExtension(h.file().toString());
            names.put(h.file(), name);
        }
        return names;
    }

    private static String parentName(Path f) {
        Path parent = f.toAbsolutePath().getParent();
        return (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/") + baseName(f);
    }

    private static String baseName(Path f) {
        return stripExtension(f.getFileName().toString());
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash + 1 ? name.substring(0, dot) : name;
    }
}
