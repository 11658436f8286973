package io.vigil.trainer.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.scoring.Replay;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.Surprise;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.report.Curves;
import io.vigil.trainer.report.HtmlReport;
import io.vigil.trainer.report.Metric;
import io.vigil.trainer.report.Report;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A transaction model measured the way fraud teams measure: Vigil's score and the two baselines
 * ({@link Baselines}) through the same {@link FraudMetrics}, over every transaction from {@code from} on,
 * overall and per kind of fraud (each kind's frauds against all genuine transactions). The scores come
 * from the shared {@link Scorer} ({@link #score}, the trainer's {@code evaluate-transactions}) or from the
 * job's score records ({@link #of}, the harness's transaction corpus).
 *
 * <p>Written as {@code evaluation.json} (every figure), {@code transactions.csv} (per transaction: id,
 * account, time, amount, score, whether an alert was open, label, pattern) and {@code report.html}
 * (the figures, and the ROC and PR curves of all three scorers).
 */
public final class TransactionEvaluation {

    public static final String JSON_FILE = "evaluation.json";
    public static final String CSV_FILE = "transactions.csv";
    public static final String VIGIL = "Vigil";
    /** The pattern name of the metrics over all frauds. */
    public static final String ALL = "all frauds";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How to measure.
     *
     * @param from transactions before this event time only bring the accounts up to date; they are not counted
     * @param k cards checked per day, for card precision@k
     * @param fpr the false-positive rate recall is read at
     * @param confirmationDelay how long after a fraud it is confirmed, for models with merchant risk
     */
    public record Options(long from, int k, double fpr, Duration confirmationDelay) {
        public static Options defaults() {
            return new Options(Long.MIN_VALUE, FraudMetrics.DEFAULT_K, FraudMetrics.DEFAULT_FPR, Duration.ofDays(7));
        }
    }

    /** Which model, with what threshold (as a score), on what. */
    public record Subject(String modelId, String version, double threshold, List<String> sources, String scoredBy) {}

    private final Subject subject;
    private final TransactionHistory history;
    private final Options options;
    private final double[] vigil;
    private final boolean[] scored;
    private final boolean[] alertOpen;
    private final boolean[] counted;
    /** Per scorer (Vigil first, then the baselines), per pattern ({@link #ALL} first). */
    private final Map<String, Map<String, FraudMetrics>> metrics = new LinkedHashMap<>();

    private final Map<String, double[]> scores = new LinkedHashMap<>();

    private TransactionEvaluation(
            Subject subject,
            TransactionHistory history,
            double[] vigil,
            boolean[] scored,
            boolean[] alertOpen,
            Options options) {
        if (!history.labelled()) {
            throw new IllegalArgumentException("Evaluating needs labelled transactions, but " + history.sources()
                    + " have no label column; name it with --label-column");
        }
        this.subject = subject;
        this.history = history;
        this.options = options;
        this.vigil = vigil;
        this.scored = scored;
        this.alertOpen = alertOpen;
        List<TransactionEvent> txs = history.transactions();
        this.counted = new boolean[txs.size()];
        int frauds = 0;
        int genuine = 0;
        for (int i = 0; i < counted.length; i++) {
            counted[i] = txs.get(i).eventTime() >= options.from();
            if (counted[i]) {
                frauds += history.fraud()[i] ? 1 : 0;
                genuine += history.fraud()[i] ? 0 : 1;
            }
        }
        if (frauds == 0 || genuine == 0) {
            throw new IllegalArgumentException("The transactions counted (from " + Instant.ofEpochMilli(options.from())
                    + ") have " + frauds + " fraud and " + genuine + " genuine ones; the metrics need both");
        }
        scores.put(VIGIL, vigil);
        scores.put(Baselines.AMOUNT, Baselines.amount(txs));
        scores.put(Baselines.ACCOUNT_Z_SCORE, Baselines.accountZScore(txs));
        String[] accounts = txs.stream().map(TransactionEvent::accountId).toArray(String[]::new);
        long[] times = txs.stream().mapToLong(TransactionEvent::eventTime).toArray();
        for (Map.Entry<String, double[]> s : scores.entrySet()) {
            Map<String, FraudMetrics> byPattern = new LinkedHashMap<>();
            byPattern.put(
                    ALL,
                    FraudMetrics.of(
                            s.getValue(), history.fraud(), accounts, times, counted, options.k(), options.fpr()));
            for (String p : patterns()) {
                boolean[] include = new boolean[counted.length];
                for (int i = 0; i < include.length; i++) {
                    include[i] = counted[i] && (!history.fraud()[i] || p.equals(history.patterns()[i]));
                }
                byPattern.put(
                        p,
                        FraudMetrics.of(
                                s.getValue(), history.fraud(), accounts, times, include, options.k(), options.fpr()));
            }
            metrics.put(s.getKey(), byPattern);
        }
    }

    /**
     * Scores the history with {@code model} through the shared scorer, every account from its first
     * transaction (so it is warm by {@code options.from()}), all accounts batched as the job batches them.
     */
    public static TransactionEvaluation score(
            ScoringModel model, TransactionHistory history, Scorer.Settings settings, Options options) {
        TransactionFeatures features = TransactionFeatures.of(model.features().names());
        TransactionHistory.Featurized f = history.featurize(features, options.confirmationDelay());
        int n = history.transactions().size();
        double[] score = new double[n];
        boolean[] scored = new boolean[n];
        boolean[] open = new boolean[n];
        List<String> keys = new ArrayList<>();
        List<double[][]> rows = new ArrayList<>();
        List<long[]> times = new ArrayList<>();
        for (EntitySeries s : f.history().series()) {
            keys.add(s.entity());
            rows.add(s.values());
            times.add(s.timestamps());
        }
        try (Scorer scorer = new Scorer(model, settings)) {
            Replay.run(scorer, keys, rows, times, (k, r, state, view) -> {
                int i = f.rows().get(k)[r];
                score[i] = view.scored() ? view.score() : 0;
                scored[i] = view.scored();
                open[i] = view.anomalous();
            });
        }
        Subject subject = new Subject(
                model.modelId(),
                model.version(),
                Surprise.score(settings.lifecycle(model).threshold()),
                history.sources(),
                "the trainer's scorer");
        return new TransactionEvaluation(subject, history, score, scored, open, options);
    }

    /**
     * Measures scores made elsewhere (the job's), one per transaction of {@code history} in its order:
     * {@code score} 0 and {@code scored} false where there was none.
     */
    public static TransactionEvaluation of(
            Subject subject,
            TransactionHistory history,
            double[] score,
            boolean[] scored,
            boolean[] alertOpen,
            Options options) {
        return new TransactionEvaluation(subject, history, score, scored, alertOpen, options);
    }

    /** The kinds of fraud the history names, sorted (none when it has no pattern column). */
    public List<String> patterns() {
        TreeSet<String> out = new TreeSet<>();
        if (history.patterns() != null) {
            for (int i = 0; i < counted.length; i++) {
                if (counted[i] && history.fraud()[i] && !history.patterns()[i].isEmpty()) {
                    out.add(history.patterns()[i]);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Per scorer ({@link #VIGIL}, {@link Baselines#AMOUNT}, {@link Baselines#ACCOUNT_Z_SCORE}), per pattern. */
    public Map<String, Map<String, FraudMetrics>> metrics() {
        return metrics;
    }

    /** Vigil's metrics over all frauds. */
    public FraudMetrics vigil() {
        return metrics.get(VIGIL).get(ALL);
    }

    public Subject subject() {
        return subject;
    }

    /** Transactions counted that Vigil did not score (their account's window was not full yet). */
    public long unscored() {
        long n = 0;
        for (int i = 0; i < counted.length; i++) {
            n += counted[i] && !scored[i] ? 1 : 0;
        }
        return n;
    }

    /** One line per scorer and pattern, under the scorer's name. */
    public void printTo(PrintWriter out) {
        for (Map.Entry<String, Map<String, FraudMetrics>> s : metrics.entrySet()) {
            out.println(s.getKey());
            s.getValue().forEach((pattern, m) -> out.printf(Locale.ROOT, "  %-22s %s%n", pattern, m));
        }
    }

    /** Everything in {@code evaluation.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelId", subject.modelId());
        m.put("version", subject.version());
        m.put("threshold", subject.threshold());
        m.put("scoredBy", subject.scoredBy());
        m.put("sources", subject.sources());
        m.put(
                "from",
                options.from() == Long.MIN_VALUE
                        ? null
                        : Instant.ofEpochMilli(options.from()).toString());
        m.put("confirmationDelay", options.confirmationDelay().toString());
        m.put("unscored", unscored());
        Map<String, Object> all = new LinkedHashMap<>();
        metrics.forEach((scorer, byPattern) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            byPattern.forEach((pattern, f) -> p.put(pattern, f.summary()));
            all.put(scorer, p);
        });
        m.put("metrics", all);
        return m;
    }

    /** Writes {@link #JSON_FILE}, {@link #CSV_FILE} (the counted transactions) and the HTML report into {@code dir}. */
    public void writeTo(Path dir, String context) throws IOException {
        writeTo(dir, context, false);
    }

    /**
     * Writes {@link #JSON_FILE}, {@link #CSV_FILE} and the HTML report into {@code dir} (created if absent); the
     * CSV has the counted transactions, or with {@code everyTransaction} all of them and a {@code counted} column.
     */
    public void writeTo(Path dir, String context, boolean everyTransaction) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(JSON_FILE).toFile(), toMap());
        writeCsv(dir.resolve(CSV_FILE), everyTransaction);
        HtmlReport.write(report(context), dir.resolve(HtmlReport.FILE));
    }

    /**
     * One line per counted transaction (with {@code everyTransaction}: per transaction, and whether it is counted):
     * transaction_id, account_id, timestamp, amount, score (empty where none), alert_open, label, pattern[, counted].
     */
    public void writeCsv(Path file, boolean everyTransaction) throws IOException {
        List<TransactionEvent> txs = history.transactions();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("transaction_id,account_id,timestamp,amount,score,alert_open,label,pattern"
                    + (everyTransaction ? ",counted\n" : "\n"));
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < txs.size(); i++) {
                if (!counted[i] && !everyTransaction) {
                    continue;
                }
                TransactionEvent tx = txs.get(i);
                line.setLength(0);
                line.append(csv(tx.transactionId()))
                        .append(',')
                        .append(csv(tx.accountId()))
                        .append(',')
                        .append(Instant.ofEpochMilli(tx.eventTime()))
                        .append(',')
                        .append(tx.amount())
                        .append(',')
                        .append(scored[i] ? Double.toString(vigil[i]) : "")
                        .append(',')
                        .append(alertOpen[i] ? 1 : 0)
                        .append(',')
                        .append(history.fraud()[i] ? 1 : 0)
                        .append(',')
                        .append(history.patterns() == null ? "" : csv(history.patterns()[i]));
                if (everyTransaction) {
                    line.append(',').append(counted[i] ? 1 : 0);
                }
                line.append('\n');
                out.write(line.toString());
            }
        }
    }

    /** The HTML report: Vigil's headline, a table per measure (scorers x patterns), the curves of all three. */
    public Report report(String context) {
        FraudMetrics v = vigil();
        List<Metric> headline = List.of(
                Metric.ratio("average precision", v.averagePrecision()),
                Metric.ratio("ROC AUC", v.rocAuc()),
                Metric.ratio("card precision@" + v.k(), v.cardPrecision()),
                Metric.ratio(String.format(Locale.ROOT, "recall at %.0f%% FPR", 100 * v.fpr()), v.recallAtFpr()),
                Metric.count("transactions", v.transactions()),
                Metric.count("frauds", v.frauds()));
        List<String> columns = new ArrayList<>(List.of("scorer"));
        List<String> patterns = new ArrayList<>(metrics.get(VIGIL).keySet());
        columns.addAll(patterns);
        List<Report.Table> tables = new ArrayList<>();
        String[][] measures = {
            {"Average precision", "ap"},
            {"ROC AUC", "auc"},
            {"Card precision@" + v.k() + " per day", "cp"},
            {String.format(Locale.ROOT, "Recall at %.0f%% false-positive rate", 100 * v.fpr()), "recall"}
        };
        for (String[] measure : measures) {
            List<Report.Row> rows = new ArrayList<>();
            metrics.forEach((scorer, byPattern) -> {
                List<Metric> cells = new ArrayList<>();
                for (String p : patterns) {
                    FraudMetrics f = byPattern.get(p);
                    double x = switch (measure[1]) {
                        case "ap" -> f.averagePrecision();
                        case "auc" -> f.rocAuc();
                        case "cp" -> f.cardPrecision();
                        default -> f.recallAtFpr();
                    };
                    cells.add(Metric.ratio(p, x));
                }
                rows.add(new Report.Row(scorer, cells));
            });
            String note = measure[1].equals("cp")
                    ? String.format(
                            Locale.ROOT,
                            "A perfect ranking reaches %.3f over all"
                                    + " frauds on these %d days (there are fewer fraud cards a day than %d).",
                            v.cardPrecisionBest(),
                            v.days(),
                            v.k())
                    : "Each kind of fraud against all genuine transactions.";
            tables.add(new Report.Table(measure[0], note, columns, rows));
        }
        List<Curves.Named> compared = new ArrayList<>();
        metrics.forEach((scorer, byPattern) -> {
            if (!scorer.equals(VIGIL)) {
                compared.add(
                        new Curves.Named(scorer, Curves.of(byPattern.get(ALL).ranking())));
            }
        });
        String subtitle = "model " + subject.modelId() + "/" + subject.version() + " \u00b7 scored by "
                + subject.scoredBy() + " \u00b7 " + String.join(", ", subject.sources())
                + (context == null || context.isEmpty() ? "" : " \u00b7 " + context);
        List<String> notes = List.of(
                String.format(
                        Locale.ROOT,
                        "%,d transactions counted%s; %,d of them not scored by"
                                + " Vigil (their account's window was not full yet) rank lowest with score 0.",
                        v.transactions(),
                        options.from() == Long.MIN_VALUE ? "" : " from " + Instant.ofEpochMilli(options.from()),
                        unscored()),
                "Baselines: the amount alone, and the amount's z-score against the account's earlier amounts; all three"
                        + " through the same metrics code.");
        return new Report(
                "Fraud evaluation of " + subject.modelId() + "/" + subject.version(),
                subtitle,
                headline,
                List.of(),
                Curves.of(v.ranking()),
                notes,
                Report.Sections.ENTITIES,
                tables,
                compared);
    }

    private static String csv(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? '"' + text.replace("\"", "\"\"") + '"'
                : text;
    }
}
