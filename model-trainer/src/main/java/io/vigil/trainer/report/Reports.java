package io.vigil.trainer.report;

import io.vigil.trainer.evaluation.Confusion;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.report.FileSection.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a {@link Report} from the trainer's {@link EvaluationReport}: one section per entity with its
 * warm events, the label runs as windows, and the alerts the scorer's alert lifecycle opened and resolved.
 *
 * <pre>{@code
 * EvaluationReport evaluation = Evaluator.evaluate(bundleDir, labelled);
 * Report report = Reports.fromEvaluation(evaluation,
 *         "2026-12-01 10:40 UTC · vigil-trainer evaluate --bundle bundle history.csv");
 * HtmlReport.write(report, output.resolve(HtmlReport.FILE));
 * }</pre>
 */
public final class Reports {

    private Reports() {}

    /** @param context shown after the model in the subtitle: when and how the evaluation ran (may be empty) */
    public static Report fromEvaluation(EvaluationReport e, String context) {
        EvaluationReport.Subject s = e.subject();
        List<String> channels = e.features().names();
        List<FileSection> files = new ArrayList<>();
        int i = 0;
        while (i < e.events()) {
            String entity = e.event(i).entity();
            int from = i;
            while (i < e.events() && e.event(i).entity().equals(entity)) {
                i++;
            }
            files.add(entity(e, from, i, channels, s));
        }
        Confusion c = e.confusion();
        boolean labelled = e.anomalousEvents() > 0;
        List<Metric> headline = new ArrayList<>(
                labelled
                        ? List.of(
                                Metric.ratio("F1", c.f1()),
                                Metric.ratio("precision", c.precision()),
                                Metric.ratio("recall", c.recall()),
                                Metric.percent("false alarm rate", c.falseAlarmRate()))
                        : List.of(Metric.percent("false alarm rate", c.falseAlarmRate())));
        e.ranking().ifPresent(r -> {
            headline.add(Metric.ratio("ROC AUC", r.rocAuc()));
            headline.add(Metric.ratio("PR AUC", r.prAuc()));
        });
        headline.add(Metric.count("events", e.events()));
        headline.add(Metric.count("anomalous events", e.anomalousEvents()));
        String subtitle = "model " + s.modelId() + "/" + s.version() + " \u00b7 " + s.scope() + " on "
                + String.join(", ", s.sources()) + " \u00b7 threshold "
                + String.format(Locale.ROOT, "%.4f", s.threshold())
                + (context == null || context.isEmpty() ? "" : " \u00b7 " + context);
        List<String> notes = new ArrayList<>(List.of(
                String.format(
                        Locale.ROOT,
                        "Metrics count the %,d warm events; the"
                                + " %,d events before each entity's window and warm-up were full are not scored and not shown.",
                        e.events(),
                        e.warmupEvents()),
                "Alerts are those the scorer's alert lifecycle opened and resolved, as the job does."));
        if (s.decisions() != null) {
            notes.add("The bundle's " + s.decisions() + ".");
        }
        if (!labelled) {
            notes.add(
                    0,
                    "No labelled anomalies: precision, recall and F1 need them, so only the false-alarm rate on"
                            + " these normal events is shown.");
        }
        return new Report(
                "Evaluation of " + s.modelId() + "/" + s.version(),
                subtitle,
                headline,
                files,
                e.ranking().map(Curves::of).orElse(null),
                notes,
                Report.Sections.ENTITIES);
    }

    private static FileSection entity(
            EvaluationReport e, int from, int to, List<String> channels, EvaluationReport.Subject subject) {
        int n = to - from;
        long[] t = new long[n];
        double[][] values = new double[n][];
        double[] scores = new double[n];
        String entity = e.event(from).entity();
        FileSection.Builder b = FileSection.builder(entity);
        long windowStart = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            EvaluationReport.Event ev = e.event(from + k);
            t[k] = ev.timestamp();
            values[k] = ev.values();
            scores[k] = ev.score();
            if (ev.label() && windowStart == Long.MIN_VALUE) {
                windowStart = ev.timestamp();
            }
            if (windowStart != Long.MIN_VALUE && (!ev.label() || k == n - 1)) {
                b.window(windowStart, ev.label() ? ev.timestamp() : t[k - 1]);
                windowStart = Long.MIN_VALUE;
            }
            switch (ev.transition()) {
                case OPEN -> b.alert(ev.timestamp(), Status.OPEN, String.format(Locale.ROOT, "score %.4f", ev.score()));
                case RESOLVE -> b.alert(ev.timestamp(), Status.RESOLVED, "back to normal");
                case ACCEPT -> b.alert(ev.timestamp(), Status.RESOLVED, "open too long: accepted as the new normal");
                default -> {}
            }
        }
        Confusion c = e.perEntity().get(entity);
        boolean labelled = c.tp() + c.fn() > 0; // without anomalies these three mean nothing: shown as a dash
        return b.readings(t, channels, values)
                .scores(scores)
                .threshold(FileSection.Threshold.constant(subject.threshold()))
                .metric(Metric.count("events", n))
                .metric(Metric.count("anomalous", c.tp() + c.fn()))
                .metric(Metric.ratio("precision", labelled ? c.precision() : Double.NaN))
                .metric(Metric.ratio("recall", labelled ? c.recall() : Double.NaN))
                .metric(Metric.ratio("F1", labelled ? c.f1() : Double.NaN))
                .metric(Metric.percent("false alarm rate", c.falseAlarmRate()))
                .build();
    }
}
