package io.vigil.harness.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.harness.generate.AnomalyKind;
import io.vigil.trainer.evaluation.Confusion;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How well alerts matched the ground truth: window recall, alert precision and their F1, detection
 * delay, event-level precision/recall/F1, and the integrity of the alert stream itself.
 *
 * @param events null when no per-event labels were given
 */
public record AlertEvaluation(
        Windows windows, Alerts alerts, Delay delay, Events events, Integrity integrity, Settings settings) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Windows detected (an episode opened within [start, end + tolerance]), overall and by kind. */
    public record Windows(int total, int detected, Map<AnomalyKind, KindCount> byKind) {

        public Windows {
            byKind = byKind.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byKind));
        }

        public double recall() {
            return total == 0 ? 0 : (double) detected / total;
        }
    }

    /** Windows of one kind: how many, how many detected. */
    public record KindCount(int total, int detected) {}

    /** Alert episodes; a true one opened within [start, end + tolerance] of a window of its entity. */
    public record Alerts(int episodes, int truePositive) {

        public int falsePositive() {
            return episodes - truePositive;
        }

        public double precision() {
            return episodes == 0 ? 0 : (double) truePositive / episodes;
        }
    }

    /**
     * First open minus window start over the detected windows, by nearest rank (so every figure is a
     * delay that happened); NaN when nothing was detected.
     */
    public record Delay(int count, double medianMillis, double p90Millis, double medianEvents, double p90Events) {

        static Delay of(List<Long> delaysMillis, long intervalMillis) {
            if (delaysMillis.isEmpty()) {
                return new Delay(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            long[] sorted =
                    delaysMillis.stream().mapToLong(Long::longValue).sorted().toArray();
            double median = nearestRank(sorted, 0.5);
            double p90 = nearestRank(sorted, 0.9);
            return new Delay(sorted.length, median, p90, median / intervalMillis, p90 / intervalMillis);
        }

        private static double nearestRank(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /** Events inside an alert episode are predicted anomalous, against the per-event labels. */
    public record Events(Confusion confusion) {

        public double precision() {
            return confusion.precision();
        }

        public double recall() {
            return confusion.recall();
        }

        public double f1() {
            return confusion.f1();
        }
    }

    /**
     * Whether the alert stream itself is sound. A duplicate is the same alert id and status seen again
     * (for UPDATE: the same event too, since an alert escalates more than once); with exactly-once
     * delivery there are none.
     */
    public record Integrity(
            long recordsRead,
            long undecodable,
            long alerts,
            int distinctAlertIds,
            long duplicates,
            long resolvedWithoutOpen,
            long neverResolved) {}

    /** What the evaluation assumed. */
    public record Settings(long intervalMillis, int toleranceEvents) {

        public long toleranceMillis() {
            return intervalMillis * toleranceEvents;
        }
    }

    /** Harmonic mean of window recall and alert precision. */
    public double f1() {
        double p = alerts.precision();
        double r = windows.recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** A few lines a person takes in at a glance. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "windows   %d/%d detected (recall %.3f); alerts %d, %d false (precision %.3f); F1 %.3f%n",
                windows.detected(),
                windows.total(),
                windows.recall(),
                alerts.episodes(),
                alerts.falsePositive(),
                alerts.precision(),
                f1()));
        if (!windows.byKind().isEmpty()) {
            s.append("  by kind ")
                    .append(new EnumMap<>(windows.byKind())
                            .entrySet().stream()
                                    .map(e -> e.getKey() + " " + e.getValue().detected() + "/"
                                            + e.getValue().total())
                                    .collect(Collectors.joining(", ")))
                    .append(System.lineSeparator());
        }
        if (delay.count() == 0) {
            s.append("delay     n/a (nothing detected)").append(System.lineSeparator());
        } else {
            s.append(String.format(
                    Locale.ROOT,
                    "delay     median %.1f events (%.0f ms), p90 %.1f events (%.0f ms)%n",
                    delay.medianEvents(),
                    delay.medianMillis(),
                    delay.p90Events(),
                    delay.p90Millis()));
        }
        if (events == null) {
            s.append("events    n/a (no per-event labels)").append(System.lineSeparator());
        } else {
            Confusion c = events.confusion();
            s.append(String.format(
                    Locale.ROOT,
                    "events    precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, FN %d, TN %d)%n",
                    events.precision(),
                    events.recall(),
                    events.f1(),
                    c.tp(),
                    c.fp(),
                    c.fn(),
                    c.tn()));
        }
        s.append(String.format(
                Locale.ROOT,
                "integrity %d records (%d undecodable), %d alert ids, %d duplicates, %d resolved without open,"
                        + " %d never resolved%n",
                integrity.recordsRead(),
                integrity.undecodable(),
                integrity.distinctAlertIds(),
                integrity.duplicates(),
                integrity.resolvedWithoutOpen(),
                integrity.neverResolved()));
        s.append(String.format(
                Locale.ROOT,
                "tolerance %d events (%d ms) after a window's end",
                settings.toleranceEvents(),
                settings.toleranceMillis()));
        return s.toString();
    }

    /** The report as JSON, for tooling and for keeping run results side by side. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode w = root.putObject("windows");
        w.put("total", windows.total());
        w.put("detected", windows.detected());
        w.put("recall", windows.recall());
        ObjectNode kinds = w.putObject("byKind");
        new EnumMap<>(windows.byKind()).forEach((k, v) -> {
            ObjectNode n = kinds.putObject(k.name());
            n.put("total", v.total());
            n.put("detected", v.detected());
        });
        ObjectNode a = root.putObject("alerts");
        a.put("episodes", alerts.episodes());
        a.put("truePositive", alerts.truePositive());
        a.put("falsePositive", alerts.falsePositive());
        a.put("precision", alerts.precision());
        root.put("f1", f1());
        ObjectNode d = root.putObject("delay");
        d.put("count", delay.count());
        putNumber(d, "medianMillis", delay.medianMillis());
        putNumber(d, "p90Millis", delay.p90Millis());
        putNumber(d, "medianEvents", delay.medianEvents());
        putNumber(d, "p90Events", delay.p90Events());
        if (events == null) {
            root.putNull("events");
        } else {
            ObjectNode e = root.putObject("events");
            Confusion c = events.confusion();
            e.put("tp", c.tp());
            e.put("fp", c.fp());
            e.put("fn", c.fn());
            e.put("tn", c.tn());
            e.put("precision", events.precision());
            e.put("recall", events.recall());
            e.put("f1", events.f1());
        }
        ObjectNode i = root.putObject("integrity");
        i.put("recordsRead", integrity.recordsRead());
        i.put("undecodable", integrity.undecodable());
        i.put("alerts", integrity.alerts());
        i.put("distinctAlertIds", integrity.distinctAlertIds());
        i.put("duplicates", integrity.duplicates());
        i.put("resolvedWithoutOpen", integrity.resolvedWithoutOpen());
        i.put("neverResolved", integrity.neverResolved());
        ObjectNode st = root.putObject("settings");
        st.put("intervalMillis", settings.intervalMillis());
        st.put("toleranceEvents", settings.toleranceEvents());
        st.put("toleranceMillis", settings.toleranceMillis());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of numbers and strings always serialises", e);
        }
    }

    /** JSON has no NaN: an undefined figure is written as null. */
    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }
}
