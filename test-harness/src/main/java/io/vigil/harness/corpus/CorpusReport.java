package io.vigil.harness.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.trainer.evaluation.Confusion;
import io.vigil.trainer.evaluation.RankingMetrics;
import io.vigil.trainer.evaluation.corpus.LabelledFile;
import io.vigil.trainer.evaluation.corpus.NabScorer;
import io.vigil.trainer.evaluation.corpus.SkabMetrics;
import io.vigil.trainer.evaluation.corpus.WindowMetrics;
import io.vigil.trainer.report.Curves;
import io.vigil.trainer.report.FileSection;
import io.vigil.trainer.report.HtmlReport;
import io.vigil.trainer.report.Metric;
import io.vigil.trainer.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of a corpus run and the files that show them: per-row SKAB metrics (F1, FAR, MAR),
 * window-level precision and recall, the NAB score in its three profiles (on the per-row scores, NAB's
 * own protocol, and with the opened alerts as the detections), the ranking quality of the scores and
 * how many rows tie at the top score, a results CSV per file, a Markdown and JSON summary, and the HTML
 * report.
 */
public final class CorpusReport {

    /** The numbers, for the summary and for callers. */
    /**
     * The numbers, for the summary and for callers.
     *
     * @param perRow SKAB's per-row metrics of the alerts: a row is predicted anomalous while an alert is open
     * @param perRowScore the same of the scores, at the one threshold NAB's scorer picked (standard profile)
     * @param nab NAB on the per-row scores (NAB's protocol: the scorer picks the threshold)
     * @param nabAlerts NAB with the opened alerts as the detections (1 at the row an alert opened at, else 0)
     * @param topTiedShare the share of all rows whose score equals the highest score
     */
    public record Metrics(
            SkabMetrics perRow,
            SkabMetrics perRowScore,
            WindowMetrics windows,
            NabScorer.Result nab,
            NabScorer.Result nabAlerts,
            RankingMetrics ranking,
            double topTiedShare,
            long rows,
            long scoredRows) {}

    private CorpusReport() {}

    public static Metrics metrics(CorpusRun.Result run, CorpusOptions o) {
        List<LabelledFile> scoredPart = new ArrayList<>();
        List<LabelledFile> whole = new ArrayList<>();
        List<LabelledFile> openings = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        long atTop = 0;
        List<Double> scores = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        long rows = 0;
        for (CorpusRun.FileResult f : run.files()) {
            LabelledFile lf = f.scored();
            whole.add(lf);
            double[] opened = new double[lf.size()];
            for (int i = 0; i < opened.length; i++) {
                opened[i] = f.opened()[i] ? 1 : 0;
            }
            openings.add(lf.withScores(opened));
            for (double v : lf.scores()) {
                if (v > top) {
                    top = v;
                    atTop = 0;
                }
                atTop += v == top ? 1 : 0;
            }
            int from = f.firstScored();
            int n = lf.size();
            rows += n;
            scoredPart.add(LabelledFile.ofLabels(
                            lf.name(),
                            Arrays.copyOfRange(lf.timestamps(), from, n),
                            Arrays.copyOfRange(lf.labels(), from, n))
                    .withScores(Arrays.copyOfRange(lf.scores(), from, n))
                    .withPredicted(Arrays.copyOfRange(lf.predicted(), from, n)));
            for (int i = from; i < n; i++) {
                scores.add(lf.scores()[i]);
                labels.add(lf.labels()[i]);
            }
        }
        RankingMetrics ranking = null;
        boolean[] l = new boolean[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        if (labels.contains(true) && labels.contains(false)) {
            ranking = RankingMetrics.of(
                    scores.stream().mapToDouble(Double::doubleValue).toArray(), l);
        }
        NabScorer.Result nab = NabScorer.score(whole);
        // the score per row, at the one threshold NAB's scorer picked for the corpus (standard profile)
        double best = nab.standard().threshold();
        return new Metrics(
                SkabMetrics.ofPredictions(scoredPart, 0),
                SkabMetrics.atThreshold(scoredPart, 0, best),
                WindowMetrics.ofPredictions(scoredPart, o.toleranceRows(), 0),
                nab,
                NabScorer.score(openings),
                ranking,
                rows == 0 ? 0 : (double) atTop / rows,
                rows,
                scores.size());
    }

    /** Writes results/, metrics.md, metrics.json and report.html into the output directory. */
    public static void write(CorpusRun.Result run, Metrics m, CorpusOptions o, String commandLine) throws IOException {
        Path out = o.output();
        List<String> channels = run.training().manifest().features();
        for (CorpusRun.FileResult f : run.files()) {
            CorpusRun.writeResults(out.resolve("results"), f, channels);
        }
        Files.writeString(out.resolve("metrics.md"), markdown(run, m, o, commandLine));
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("metrics.json").toFile(), json(run, m));
        HtmlReport.write(report(run, m, commandLine), out.resolve(HtmlReport.FILE));
    }

    public static String summary(Metrics m) {
        Confusion c = m.perRow().confusion();
        return String.format(
                Locale.ROOT,
                "per row (alerts)   F1 %.3f  FAR %.2f %%  MAR %.2f %%  (TP %d FP %d FN %d TN %d)%n"
                        + "per row (score)    F1 %.3f  FAR %.2f %%  MAR %.2f %%  (score >= %.4f, NAB's best threshold)%n"
                        + "windows            recall %.3f (%d of %d), precision %.3f (%d of %d alerts), delay median %s rows%n"
                        + "NAB (scores)       standard %.1f, reward low FP %.1f, reward low FN %.1f (best thresholds %s)%n"
                        + "NAB (alerts)       standard %.1f, reward low FP %.1f, reward low FN %.1f%n"
                        + "ranking            ROC AUC %s, PR AUC %s; %.4f %% of rows tie at the top score%n",
                m.perRow().f1(),
                m.perRow().farPercent(),
                m.perRow().marPercent(),
                c.tp(),
                c.fp(),
                c.fn(),
                c.tn(),
                m.perRowScore().f1(),
                m.perRowScore().farPercent(),
                m.perRowScore().marPercent(),
                m.nab().standard().threshold(),
                m.windows().recall(),
                m.windows().detectedWindows(),
                m.windows().windows(),
                m.windows().precision(),
                m.windows().trueEpisodes(),
                m.windows().episodes(),
                number(m.windows().medianDelayRows()),
                m.nab().standard().normalized(),
                m.nab().rewardLowFpRate().normalized(),
                m.nab().rewardLowFnRate().normalized(),
                thresholds(m.nab()),
                m.nabAlerts().standard().normalized(),
                m.nabAlerts().rewardLowFpRate().normalized(),
                m.nabAlerts().rewardLowFnRate().normalized(),
                m.ranking() == null ? "n/a" : number(m.ranking().rocAuc()),
                m.ranking() == null ? "n/a" : number(m.ranking().prAuc()),
                100 * m.topTiedShare());
    }

    private static String thresholds(NabScorer.Result nab) {
        return String.format(
                Locale.ROOT,
                "%.4f / %.4f / %.4f",
                nab.standard().threshold(),
                nab.rewardLowFpRate().threshold(),
                nab.rewardLowFnRate().threshold());
    }

    /** The rows' times for the charts: a row out of time order (scored by position) is drawn at its predecessor's. */
    private static long[] displayTimes(long[] timestamps) {
        long[] t = timestamps.clone();
        for (int i = 1; i < t.length; i++) {
            t[i] = Math.max(t[i], t[i - 1]);
        }
        return t;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String markdown(CorpusRun.Result run, Metrics m, CorpusOptions o, String commandLine) {
        StringBuilder s = new StringBuilder("# Corpus benchmark\n\n```\n")
                .append(commandLine)
                .append("\n```\n\n");
        s.append(String.format(
                Locale.ROOT,
                "%d files, %,d rows (%,d scored); model %s/%s, alert threshold %.4f"
                        + " (surprise %.2f); %.0f s; %d records dead-lettered.%n%n```%n%s```%n%n",
                run.files().size(),
                m.rows(),
                m.scoredRows(),
                run.model().modelId(),
                run.model().version(),
                run.threshold(),
                io.vigil.scoring.Surprise.surprise(run.threshold()),
                run.seconds(),
                run.deadLettered(),
                summary(m)));
        s.append("| file | rows | F1 | FAR % | MAR % | alerts |\n|---|---:|---:|---:|---:|---:|\n");
        for (SkabMetrics.FileConfusion f : m.perRow().files()) {
            Confusion c = f.confusion();
            long alerts = run.files().stream()
                    .filter(r -> r.name().equals(f.name()))
                    .findFirst()
                    .map(r -> r.alerts().stream()
                            .filter(a -> a.getStatus() == AlertStatus.OPEN)
                            .count())
                    .orElse(0L);
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.3f | %.1f | %.1f | %d |%n",
                    f.name(),
                    c.tp() + c.fp() + c.fn() + c.tn(),
                    c.f1(),
                    100 * c.falseAlarmRate(),
                    100 * c.missedAlarmRate(),
                    alerts));
        }
        return s.toString();
    }

    private static Map<String, Object> json(CorpusRun.Result run, Metrics m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("files", run.files().size());
        j.put("rows", m.rows());
        j.put("scoredRows", m.scoredRows());
        j.put("model", run.model().modelId() + "/" + run.model().version());
        j.put("threshold", run.threshold());
        j.put("thresholdSurprise", io.vigil.scoring.Surprise.surprise(run.threshold()));
        j.put(
                "differenced",
                run.training().manifest().differenced() == null
                        ? List.of()
                        : run.training().manifest().differenced());
        j.put("lowerTail", run.training().manifest().scoring().lowerTail());
        j.put("perRowF1", m.perRow().f1());
        j.put("perRowFarPercent", m.perRow().farPercent());
        j.put("perRowMarPercent", m.perRow().marPercent());
        j.put("perRowScoreF1", m.perRowScore().f1());
        j.put("perRowScoreFarPercent", m.perRowScore().farPercent());
        j.put("perRowScoreMarPercent", m.perRowScore().marPercent());
        j.put("windowRecall", m.windows().recall());
        j.put("windowPrecision", m.windows().precision());
        j.put("nabStandard", m.nab().standard().normalized());
        j.put("nabRewardLowFp", m.nab().rewardLowFpRate().normalized());
        j.put("nabRewardLowFn", m.nab().rewardLowFnRate().normalized());
        j.put(
                "nabThresholds",
                List.of(
                        m.nab().standard().threshold(),
                        m.nab().rewardLowFpRate().threshold(),
                        m.nab().rewardLowFnRate().threshold()));
        j.put("nabAlertsStandard", m.nabAlerts().standard().normalized());
        j.put("nabAlertsRewardLowFp", m.nabAlerts().rewardLowFpRate().normalized());
        j.put("nabAlertsRewardLowFn", m.nabAlerts().rewardLowFnRate().normalized());
        j.put("topTiedShare", m.topTiedShare());
        if (m.ranking() != null) {
            j.put("rocAuc", m.ranking().rocAuc());
            j.put("prAuc", m.ranking().prAuc());
        }
        j.put("deadLettered", run.deadLettered());
        j.put("seconds", run.seconds());
        return j;
    }

    private static Report report(CorpusRun.Result run, Metrics m, String commandLine) {
        List<String> channels = run.training().manifest().features();
        List<FileSection> files = new ArrayList<>();
        Map<String, SkabMetrics.FileConfusion> perFile = new LinkedHashMap<>();
        m.perRow().files().forEach(f -> perFile.put(f.name(), f));
        for (CorpusRun.FileResult f : run.files()) {
            double[] shown = f.scored().scores().clone();
            for (int i = 0; i < shown.length; i++) {
                if (!f.hasScore()[i]) {
                    shown[i] = Double.NaN; // no score written: the window was still filling
                }
            }
            FileSection.Builder b = FileSection.builder(f.name())
                    .readings(
                            displayTimes(f.series().timestamps()),
                            channels,
                            f.series().values())
                    .scores(shown)
                    .threshold(FileSection.Threshold.constant(run.threshold()));
            for (var w : f.scored().windows()) {
                b.window(w.start(), w.end());
            }
            for (Alert a : f.alerts()) {
                if (a.getStatus() == AlertStatus.OPEN) {
                    b.alert(
                            a.getEventTime().toEpochMilli(),
                            FileSection.Status.OPEN,
                            String.format(
                                    Locale.ROOT,
                                    "%s, score %.4f, %s",
                                    a.getSeverity(),
                                    a.getScore(),
                                    String.join(", ", a.getTopFeatures())));
                } else if (a.getStatus() == AlertStatus.RESOLVED) {
                    b.alert(a.getEventTime().toEpochMilli(), FileSection.Status.RESOLVED, "resolved");
                }
            }
            Confusion c = perFile.get(f.name()).confusion();
            b.metric(Metric.ratio("F1", c.f1()))
                    .metric(Metric.percent("FAR", c.falseAlarmRate()))
                    .metric(Metric.percent("MAR", c.missedAlarmRate())); // the table counts the alerts already
            files.add(b.build());
        }
        List<Metric> headline = List.of(
                Metric.ratio("F1 (per row)", m.perRow().f1()),
                Metric.percent("FAR", m.perRow().farPercent() / 100),
                Metric.percent("MAR", m.perRow().marPercent() / 100),
                Metric.ratio("window recall", m.windows().recall()),
                Metric.ratio("window precision", m.windows().precision()),
                Metric.number("NAB standard", m.nab().standard().normalized(), 1),
                Metric.number("NAB low FP", m.nab().rewardLowFpRate().normalized(), 1),
                Metric.number("NAB low FN", m.nab().rewardLowFnRate().normalized(), 1),
                Metric.number("NAB standard (alerts)", m.nabAlerts().standard().normalized(), 1));
        return new Report(
                "Vigil on a labelled corpus",
                "model " + run.model().modelId() + "/" + run.model().version() + " \u00b7 " + commandLine,
                headline,
                files,
                m.ranking() == null ? null : Curves.of(m.ranking()),
                List.of(
                        "Every row was streamed through Kafka and the Flink job, each file's rows in file order; a row"
                                + " counts as predicted anomalous when an alert of its file was open at it (raised, not yet"
                                + " resolved).",
                        "NAB on the scores lets NAB's scorer pick one threshold for the corpus; NAB"
                                + " on the alerts counts the row each alert opened at as its one detection.",
                        "Scores are the job's; rows without one (the window was still filling) show no score.",
                        "Decided by the trainer from the fit rows: "
                                + io.vigil.trainer.evaluation.Evaluator.decisions(
                                        run.training().manifest()) + "."));
    }
}
