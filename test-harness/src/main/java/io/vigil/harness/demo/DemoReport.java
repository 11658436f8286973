package io.vigil.harness.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.harness.evaluate.AlertEvaluation;
import java.util.Locale;

/** What the demo did and how well it detected, for the console and for {@code report.json}. */
public record DemoReport(
        String finishedAt,
        DemoOptions options,
        String modelId,
        String modelVersion,
        long readingsSent,
        long garbageSent,
        long deadLettered,
        long eventsScored,
        long eventsExpected,
        long alertsOpened,
        long alertsResolved,
        AlertEvaluation evaluation,
        double scoredPerSecond,
        double sentPerSecond,
        double seconds,
        String jobModelVersion) {

    /** Did the demo meet its own bar: most anomaly windows found, most alerts right, nothing lost. */
    public boolean passed() {
        return evaluation.windows().recall() >= 0.8
                && evaluation.alerts().precision() >= 0.8
                && eventsScored == eventsExpected
                && deadLettered == garbageSent
                && evaluation.integrity().duplicates() == 0;
    }

    public String toText() {
        AlertEvaluation e = evaluation;
        StringBuilder s = new StringBuilder("Summary\n");
        line(
                s,
                "readings sent",
                "%,d to %d sensors, plus %,d garbage records",
                readingsSent,
                options.entities(),
                garbageSent);
        line(
                s,
                "events scored",
                "%,d of %,d expected (a sensor is scored once its window is full)",
                eventsScored,
                eventsExpected);
        line(s, "dead-lettered", "%,d of %,d garbage records; the job kept scoring", deadLettered, garbageSent);
        line(s, "alerts", "%d opened, %d resolved (model %s/%s)", alertsOpened, alertsResolved, modelId, modelVersion);
        line(
                s,
                "anomaly windows",
                "%d of %d detected: recall %.0f%%",
                e.windows().detected(),
                e.windows().total(),
                100 * e.windows().recall());
        e.windows().byKind().forEach((kind, c) -> line(s, "", "%-18s %d/%d", kind, c.detected(), c.total()));
        line(
                s,
                "alert precision",
                "%d of %d alerts opened inside a true window: %.0f%%",
                e.alerts().truePositive(),
                e.alerts().episodes(),
                100 * e.alerts().precision());
        if (e.delay().count() > 0) {
            line(
                    s,
                    "detection delay",
                    "median %.1f events, p90 %.1f events after a window starts",
                    e.delay().medianEvents(),
                    e.delay().p90Events());
        }
        if (e.events() != null) {
            line(
                    s,
                    "event level",
                    "precision %.2f, recall %.2f, F1 %.2f",
                    e.events().precision(),
                    e.events().recall(),
                    e.events().f1());
        }
        line(
                s,
                "integrity",
                "%d duplicate alert records under read_committed",
                e.integrity().duplicates());
        line(
                s,
                "throughput",
                "%,.0f events/s scored end to end; input paced at %,.0f/s (the job's capacity is"
                        + " measured by the benchmark command)",
                scoredPerSecond,
                sentPerSecond);
        line(
                s,
                "verdict",
                "%s",
                passed()
                        ? "PASS (recall >= 80%, precision >= 80%, nothing lost)"
                        : "BELOW TARGET (see the lines above)");
        line(s, "took", "%.0f s", seconds);
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String format, Object... args) {
        s.append(String.format(Locale.ROOT, "  %-16s ", label))
                .append(String.format(Locale.ROOT, format, args))
                .append('\n');
    }

    public JsonNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("finishedAt", finishedAt);
        ObjectNode settings = json.valueToTree(options);
        settings.put("workDir", options.workDir().toString());
        root.set("options", settings);
        root.put("modelId", modelId);
        root.put("modelVersion", modelVersion);
        root.put("readingsSent", readingsSent);
        root.put("garbageSent", garbageSent);
        root.put("deadLettered", deadLettered);
        root.put("eventsScored", eventsScored);
        root.put("eventsExpected", eventsExpected);
        root.put("alertsOpened", alertsOpened);
        root.put("alertsResolved", alertsResolved);
        root.put("scoredPerSecond", scoredPerSecond);
        root.put("sentPerSecond", sentPerSecond);
        root.put("seconds", seconds);
        root.put("passed", passed());
        try {
            root.set("evaluation", json.readTree(evaluation.toJson()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return root;
    }
}
