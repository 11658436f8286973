package io.vigil.trainer.evaluation.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and writes the NAB layout (labels JSON, data and results CSVs), for {@code nab_score.py} and back.
 *
 * <p>The layout: a labels JSON mapping "category/file.csv" to [["start", "end"], ...] windows (timestamps
 * like "2014-04-10 07:15:00.000000"), data CSVs {@code timestamp,value[,...]} under a data folder, and
 * results CSVs {@code timestamp,...,anomaly_score[,label]} under a results folder, at the same relative paths.
 *
 * <p>Timestamps are read as the reference reads them: stripped, cut to their first 19 characters
 * ("yyyy-MM-dd HH:mm:ss", so fractions of a second are dropped) and taken as UTC; they become epoch
 * milliseconds. CSVs are comma-separated with an optional double-quoted field syntax; blank lines are skipped.
 */
public final class NabFiles {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private NabFiles() {}

    /** Where a corpus was written: the labels JSON, the data folder and the results folder. */
    public record Layout(Path labelsJson, Path dataDir, Path resultsDir) {}

    /** A corpus read back, and the files that had no results file (scored as all zeros, as the reference does). */
    public record Corpus(List<LabelledFile> files, List<String> missingResults) {

        public Corpus {
            files = List.copyOf(files);
            missingResults = List.copyOf(missingResults);
        }
    }

    /** A NAB timestamp as epoch milliseconds (UTC): its first 19 characters, "yyyy-MM-dd HH:mm:ss". */
    public static long parseTimestamp(String text) {
        String t = text.strip();
        String s = t.length() > 19 ? t.substring(0, 19) : t;
        try {
            return LocalDateTime.parse(s, SECONDS).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a NAB timestamp (yyyy-MM-dd HH:mm:ss...): '" + text + "'", e);
        }
    }

    /** "yyyy-MM-dd HH:mm:ss" (UTC), with ".SSS" only when the time has milliseconds; for data and results CSVs. */
    public static String formatTimestamp(long epochMillis) {
        LocalDateTime t = utc(epochMillis);
        String s = SECONDS.format(t);
        long ms = Math.floorMod(epochMillis, 1000L);
        return ms == 0 ? s : s + String.format(Locale.ROOT, ".%03d", ms);
    }

    /** "yyyy-MM-dd HH:mm:ss.SSS000" (UTC), the style of NAB's labels files. */
    public static String formatLabelTimestamp(long epochMillis) {
        return SECONDS.format(utc(epochMillis))
                + String.format(Locale.ROOT, ".%03d000", Math.floorMod(epochMillis, 1000L));
    }

    private static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(epochMillis, 1000L), (int) Math.floorMod(epochMillis, 1000L) * 1_000_000, ZoneOffset.UTC);
    }

    /** A number as Python's float() reads it: surrounding blanks allowed, nan / inf / infinity in any case. */
    public static double parsePythonFloat(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = negative || lower.startsWith("+") ? lower.substring(1) : lower;
        if (body.equals("nan")) {
            return Double.NaN;
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("not a number: '" + text + "'");
        }
        return Double.parseDouble(t);
    }

    /** The windows of a labels JSON, per relative file path, in the file's order. */
    public static Map<String, List<Window>> readLabels(Path labelsJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(labelsJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + labelsJson, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(labelsJson + ": expected an object of \"file\": [[start, end], ...]");
        }
        Map<String, List<Window>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            List<Window> windows = new ArrayList<>();
            for (JsonNode pair : e.getValue()) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new IllegalArgumentException(
                            labelsJson + ": " + e.getKey() + ": a window is not [start, end]: " + pair);
                }
                windows.add(new Window(
                        parseTimestamp(pair.get(0).asText()),
                        parseTimestamp(pair.get(1).asText())));
            }
            out.put(e.getKey(), List.copyOf(windows));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes the files' windows as a labels JSON, files in the given order, windows in each file's order. */
    public static void writeLabels(Path labelsJson, List<LabelledFile> files) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        for (LabelledFile f : files) {
            ArrayNode windows = root.putArray(f.name());
            for (Window w : f.windows()) {
                windows.addArray().add(formatLabelTimestamp(w.start())).add(formatLabelTimestamp(w.end()));
            }
        }
        try {
            createParent(labelsJson);
            mapper.writerWithDefaultPrettyPrinter().writeValue(labelsJson.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + labelsJson, e);
        }
    }

    /** The {@code timestamp} column of a data (or results) CSV. */
    public static long[] readTimestamps(Path csv) {
        List<String> column = readColumn(csv, "timestamp");
        long[] out = new long[column.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseTimestamp(column.get(i));
        }
        return out;
    }

    /** The {@code anomaly_score} column of a results CSV. */
    public static double[] readScores(Path csv) {
        List<String> column = readColumn(csv, "anomaly_score");
        double[] out = new double[column.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = parsePythonFloat(column.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(csv + ": data row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One column of a CSV with a header row, by name (the last column of that name); read by Commons CSV. */
    public static List<String> readColumn(Path csv, String column) {
        try (CSVParser parser = CSVFormat.RFC4180
                .builder()
                .setIgnoreEmptyLines(true)
                .get()
                .parse(Files.newBufferedReader(csv, StandardCharsets.UTF_8))) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new IllegalArgumentException(csv + " is empty");
            }
            List<String> header = records.next().toList();
            int index = header.lastIndexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException(
                        csv + " has no '" + column + "' column: " + String.join(",", header));
            }
            List<String> out = new ArrayList<>();
            while (records.hasNext()) {
                CSVRecord r = records.next();
                if (index >= r.size()) {
                    throw new IllegalArgumentException(
                            csv + ": line " + parser.getCurrentLineNumber() + " has no '" + column + "' field");
                }
                out.add(r.get(index));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    /**
     * Reads a corpus as the reference does: the files are the labels' keys in name order, timestamps from
     * the data CSVs, scores from the results CSVs (a missing results file gives all zeros and is listed).
     */
    public static Corpus readCorpus(Path labelsJson, Path dataDir, Path resultsDir) {
        Map<String, List<Window>> labels = readLabels(labelsJson);
        List<String> names = new ArrayList<>(labels.keySet());
        names.sort(NabScorer::compareCodePoints);
        List<LabelledFile> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            long[] ts = readTimestamps(inside(dataDir, name));
            Path results = inside(resultsDir, name);
            double[] scores;
            if (Files.exists(results)) {
                scores = readScores(results);
                if (scores.length != ts.length) {
                    throw new IllegalArgumentException("row count differs for " + name + ": " + scores.length
                            + " results vs " + ts.length + " data rows");
                }
            } else {
                missing.add(name);
                scores = new double[ts.length];
            }
            files.add(new LabelledFile(name, ts, null, labels.get(name), scores, null));
        }
        return new Corpus(files, missing);
    }

    /** {@link #readCorpus(Path, Path, Path)} of a layout. */
    public static Corpus readCorpus(Layout layout) {
        return readCorpus(layout.labelsJson(), layout.dataDir(), layout.resultsDir());
    }

    /** Writes dataDir/name as {@code timestamp,value}; {@code values} may be null (the value column is then empty). */
    public static void writeData(Path dataDir, LabelledFile file, double[] values) {
        long[] ts = file.timestamps();
        if (values != null && values.length != ts.length) {
            throw new IllegalArgumentException(
                    file.name() + ": " + values.length + " values for " + ts.length + " rows");
        }
        List<String> lines = new ArrayList<>(ts.length + 1);
        lines.add("timestamp,value");
        for (int i = 0; i < ts.length; i++) {
            lines.add(formatTimestamp(ts[i]) + "," + (values == null ? "" : Double.toString(values[i])));
        }
        write(inside(dataDir, file.name()), lines);
    }

    /** Writes resultsDir/name as {@code timestamp,anomaly_score,label} (label 1 for a row in a window); needs scores. */
    public static void writeResults(Path resultsDir, LabelledFile file) {
        double[] scores = file.scores();
        if (scores == null) {
            throw new IllegalArgumentException(file.name() + " has no scores");
        }
        long[] ts = file.timestamps();
        boolean[] labels = file.labels();
        List<String> lines = new ArrayList<>(ts.length + 1);
        lines.add("timestamp,anomaly_score,label");
        for (int i = 0; i < ts.length; i++) {
            lines.add(formatTimestamp(ts[i]) + "," + Double.toString(scores[i]) + "," + (labels[i] ? 1 : 0));
        }
        write(inside(resultsDir, file.name()), lines);
    }

    /**
     * Writes a whole corpus under root: labels/combined_windows.json, data/&lt;name&gt; and results/&lt;name&gt;
     * (files without scores get no results file). {@code values} maps a file name to its data values; it may
     * be empty or lack files (their value column is empty).
     */
    public static Layout writeCorpus(Path root, List<LabelledFile> files, Map<String, double[]> values) {
        Layout layout = new Layout(
                root.resolve("labels").resolve("combined_windows.json"), root.resolve("data"), root.resolve("results"));
        writeLabels(layout.labelsJson(), files);
        for (LabelledFile f : files) {
            writeData(layout.dataDir(), f, values.get(f.name()));
            if (f.scores() != null) {
                writeResults(layout.resultsDir(), f);
            }
        }
        return layout;
    }

    private static Path inside(Path dir, String name) {
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(name).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException("file name must be a relative path inside " + dir + ": " + name);
        }
        return p;
    }

    private static void write(Path path, List<String> lines) {
        try {
            createParent(path);
            try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    w.write(line);
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private static void createParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
