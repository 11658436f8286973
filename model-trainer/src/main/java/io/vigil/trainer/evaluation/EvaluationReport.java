package io.vigil.trainer.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.FeatureSpec;
import io.vigil.trainer.history.EntitySeries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an evaluation found: event-level {@link Confusion} of the alerts (an event is predicted
 * anomalous while an alert of its key is open; overall and per entity), threshold-free
 * {@link RankingMetrics} of the scores when both classes occur, and every warm event's
 * score, verdict and label. Written as {@code evaluation.json} and {@code scores.csv}; the object is
 * what other reports (HTML) are built from.
 */
public final class EvaluationReport {

    public static final String JSON_FILE = "evaluation.json";
    public static final String SCORES_FILE = "scores.csv";
    /** Points per curve in the JSON report. */
    public static final int CURVE_POINTS = 101;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Which model was evaluated on what; {@code threshold} is the alert threshold as a score, {@code
     * decisions} what the trainer decided from the fit data (differenced and lower-tail channels).
     */
    public record Subject(
            String modelId,
            String version,
            String manifestSha256,
            double threshold,
            String scope,
            List<String> sources,
            String decisions) {}

    /** One warm, evaluated event: its score, whether an alert of its key was open, what it did to that alert. */
    public record Event(
            String entity,
            long timestamp,
            double[] values,
            double score,
            boolean anomalous,
            AlertLifecycle.Transition transition,
            boolean label) {}

    private final Subject subject;
    private final FeatureSpec features;
    private final List<EntitySeries> series;
    private final ScoredEvents events;
    private final long notWarm;
    private final Confusion confusion;
    private final Map<String, Confusion> perEntity;
    private final RankingMetrics ranking;

    EvaluationReport(
            Subject subject, FeatureSpec features, List<EntitySeries> series, ScoredEvents scored, long notWarm) {
        this.subject = subject;
        this.features = features;
        this.series = List.copyOf(series);
        this.events = scored.sortedBySeriesAndRow();
        this.notWarm = notWarm;
        boolean[] verdicts = events.verdicts();
        boolean[] labels = events.labels();
        this.confusion = Confusion.of(verdicts, labels);
        Map<String, Confusion> byEntity = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            boolean p = events.anomalous(i);
            boolean a = events.label(i);
            Confusion one = new Confusion(p && a ? 1 : 0, p && !a ? 1 : 0, !p && a ? 1 : 0, !p && !a ? 1 : 0);
            byEntity.merge(series.get(events.series(i)).entity(), one, Confusion::plus);
        }
        this.perEntity = byEntity;
        boolean bothClasses = confusion.tp() + confusion.fn() > 0 && confusion.fp() + confusion.tn() > 0;
        this.ranking = bothClasses ? RankingMetrics.of(events.scores(), labels) : null;
    }

    public Subject subject() {
        return subject;
    }

    /** Event-level counts at the threshold the events were scored with. */
    public Confusion confusion() {
        return confusion;
    }

    /** Per entity, in entity order. */
    public Map<String, Confusion> perEntity() {
        return Collections.unmodifiableMap(perEntity);
    }

    /** ROC and PR curves and areas; empty when the events have only one class of label. */
    public Optional<RankingMetrics> ranking() {
        return Optional.ofNullable(ranking);
    }

    /** Warm events evaluated (the population of every metric). */
    public int events() {
        return events.size();
    }

    /** Events not counted because their key had not passed the window and warm-up yet. */
    public long warmupEvents() {
        return notWarm;
    }

    /** Evaluated events labelled anomalous. */
    public long anomalousEvents() {
        return confusion.tp() + confusion.fn();
    }

    /** Event {@code i} (events are in entity order, then time order). */
    public Event event(int i) {
        EntitySeries s = series.get(events.series(i));
        int r = events.row(i);
        return new Event(
                s.entity(),
                s.timestamps()[r],
                s.values()[r].clone(),
                events.score(i),
                events.anomalous(i),
                events.transition(i),
                events.label(i));
    }

    public FeatureSpec features() {
        return features;
    }

    /** The headline numbers, as stored in a bundle manifest's {@code metrics}. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", subject.scope());
        m.put("threshold", subject.threshold());
        m.put("events", events.size());
        m.put("anomalousEvents", anomalousEvents());
        m.put("warmupEvents", notWarm);
        m.put("tp", confusion.tp());
        m.put("fp", confusion.fp());
        m.put("fn", confusion.fn());
        m.put("tn", confusion.tn());
        m.put("precision", confusion.precision());
        m.put("recall", confusion.recall());
        m.put("f1", confusion.f1());
        m.put("falseAlarmRate", confusion.falseAlarmRate());
        m.put("missedAlarmRate", confusion.missedAlarmRate());
        if (ranking != null) {
            m.put("rocAuc", ranking.rocAuc());
            m.put("prAuc", ranking.prAuc());
        }
        return m;
    }

    /** Everything in {@code evaluation.json}: subject, summary, per-entity counts and thinned curves. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modelId", subject.modelId());
        m.put("version", subject.version());
        m.put("manifestSha256", subject.manifestSha256());
        m.put("sources", subject.sources());
        m.put("features", features.names());
        m.put("entities", series.size());
        m.putAll(summary());
        Map<String, Object> entities = new LinkedHashMap<>();
        perEntity.forEach((entity, c) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("events", c.tp() + c.fp() + c.fn() + c.tn());
            e.put("tp", c.tp());
            e.put("fp", c.fp());
            e.put("fn", c.fn());
            e.put("tn", c.tn());
            e.put("precision", c.precision());
            e.put("recall", c.recall());
            e.put("falseAlarmRate", c.falseAlarmRate());
            entities.put(entity, e);
        });
        m.put("perEntity", entities);
        if (ranking != null) {
            m.put("rocCurve", curve(ranking.rocCurve(), "fpr", "tpr"));
            m.put("prCurve", curve(ranking.prCurve(), "recall", "precision"));
        } else {
            m.put("ranking", "ROC and PR need both normal and anomalous events; these events have only one kind");
        }
        return m;
    }

    private static List<Map<String, Object>> curve(List<RankingMetrics.Point> points, String x, String y) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RankingMetrics.Point p : RankingMetrics.thin(points, CURVE_POINTS)) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put(x, p.x());
            point.put(y, p.y());
            // the first ROC point's threshold is +infinity, which JSON cannot carry
            point.put("threshold", Double.isInfinite(p.threshold()) ? null : p.threshold());
            out.add(point);
        }
        return out;
    }

    public void writeJson(Path file) throws IOException {
        JSON.writeValue(file.toFile(), toMap());
    }

    /** One line per event: entity, timestamp (ISO-8601), values..., anomaly_score, anomalous, label. */
    public void writeScoresCsv(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder("entity,timestamp");
            for (String f : features.names()) {
                header.append(',').append(csv(f));
            }
            out.write(header.append(",anomaly_score,anomalous,label\n").toString());
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                EntitySeries s = series.get(events.series(i));
                int r = events.row(i);
                line.setLength(0);
                line.append(csv(s.entity())).append(',').append(Instant.ofEpochMilli(s.timestamps()[r]));
                for (double v : s.values()[r]) {
                    line.append(',').append(v);
                }
                line.append(',')
                        .append(events.score(i))
                        .append(',')
                        .append(events.anomalous(i) ? 1 : 0)
                        .append(',')
                        .append(events.label(i) ? 1 : 0)
                        .append('\n');
                out.write(line.toString());
            }
        }
    }

    /** Writes {@link #JSON_FILE} and {@link #SCORES_FILE} into {@code dir} (created if absent). */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve(JSON_FILE));
        writeScoresCsv(dir.resolve(SCORES_FILE));
    }

    private static String csv(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? '"' + text.replace("\"", "\"\"") + '"'
                : text;
    }
}
