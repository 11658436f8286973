package io.vigil.scoring.golden;

import io.vigil.scoring.Replay;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ScoringModel;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The golden bundle's fixture: a bundle written by the trainer, a fixed input ({@code input.csv}:
 * {@code key}, then one column per feature of the bundle, rows of a key in time order) and the scores
 * the scorer gave that input when the bundle was written ({@code scores.csv}). {@link #main} records the
 * scores; {@code GoldenBundleTest} checks that today's code reads the bundle and gives the same.
 */
public final class GoldenScores {

    /** One scored row: its key, its index in the key's series, and what the scorer said. */
    public record Row(
            String key, int row, boolean scored, double score, double surprise, boolean anomalous, String transition) {}

    private static final String[] HEADER = {"key", "row", "scored", "score", "surprise", "anomalous", "transition"};

    private GoldenScores() {}

    /** Reads the bundle in {@code bundle} (every checksum verified) and scores {@code input} with the job's default settings. */
    public static List<Row> score(Path bundle, Path input) throws IOException {
        ScoringModel model = BundleReader.read(new LocalBundleFiles(bundle), null, null);
        List<String> features = model.features().names();
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(input)) {
            for (CSVRecord r : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                double[] values = new double[features.size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = Double.parseDouble(r.get(features.get(j)));
                }
                series.computeIfAbsent(r.get("key"), k -> new ArrayList<>()).add(values);
            }
        }
        List<String> keys = new ArrayList<>(series.keySet());
        List<double[][]> rows = new ArrayList<>();
        keys.forEach(k -> rows.add(series.get(k).toArray(new double[0][])));
        List<Row> out = new ArrayList<>();
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            Replay.run(
                    scorer,
                    keys,
                    rows,
                    (s, row, state, v) -> out.add(new Row(
                            keys.get(s),
                            row,
                            v.scored(),
                            v.score(),
                            v.surprise(),
                            v.anomalous(),
                            v.transition().name())));
        }
        out.sort((a, b) -> a.key().equals(b.key())
                ? Integer.compare(a.row(), b.row())
                : a.key().compareTo(b.key()));
        return out;
    }

    public static List<Row> read(Path scores) throws IOException {
        List<Row> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(scores)) {
            for (CSVRecord r : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                out.add(new Row(
                        r.get("key"),
                        Integer.parseInt(r.get("row")),
                        Boolean.parseBoolean(r.get("scored")),
                        Double.parseDouble(r.get("score")),
                        Double.parseDouble(r.get("surprise")),
                        Boolean.parseBoolean(r.get("anomalous")),
                        r.get("transition")));
            }
        }
        return out;
    }

    /** Records the scores: {@code GoldenScores <bundle dir> <input.csv> <scores.csv>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: GoldenScores <bundle dir> <input.csv> <scores.csv to write>");
            System.exit(2);
        }
        List<Row> rows = score(Path.of(args[0]), Path.of(args[1]));
        try (Writer w = Files.newBufferedWriter(Path.of(args[2]));
                CSVPrinter p = new CSVPrinter(
                        w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            for (Row r : rows) {
                // %.17g keeps every bit of a double, so the file records exactly what the scorer said
                p.printRecord(
                        r.key(),
                        r.row(),
                        r.scored(),
                        String.format(Locale.ROOT, "%.17g", r.score()),
                        String.format(Locale.ROOT, "%.17g", r.surprise()),
                        r.anomalous(),
                        r.transition());
            }
        }
        System.out.println(rows.size() + " rows scored, written to " + args[2]);
    }
}
