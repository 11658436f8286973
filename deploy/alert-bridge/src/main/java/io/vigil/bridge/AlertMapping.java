package io.vigil.bridge;

import io.vigil.schemas.Alert;
import io.vigil.schemas.ChannelDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an alert record becomes in Alertmanager: its labels (what routes, groups, silences and
 * de-duplicates it) and its annotations (what a person reads). docs/runbook.md describes each.
 */
public final class AlertMapping {

    public static final String ALERTNAME = "alertname";
    public static final String ALERT_ID = "alert_id";
    public static final String ENTITY = "entity";
    public static final String STREAM = "stream";
    public static final String SEVERITY = "severity";
    public static final String MODEL = "model";
    public static final String MODEL_VERSION = "model_version";

    /** Channels listed in the description: the largest contributions first. */
    private static final int CHANNELS_SHOWN = 3;

    private final String alertName;
    private final String runbookUrl;
    private final Map<String, String> staticLabels;

    public AlertMapping(String alertName, String runbookUrl, Map<String, String> staticLabels) {
        this.alertName = alertName;
        this.runbookUrl = runbookUrl;
        this.staticLabels = Map.copyOf(staticLabels);
    }

    public static AlertMapping of(BridgeConfig config) {
        return new AlertMapping(config.alertName(), config.runbookUrl(), config.staticLabels());
    }

    /**
     * The labels: {@code alertname}, the alert id (so every Vigil alert is one Alertmanager alert, however
     * often its entity alerts), entity, stream, severity (lower case), model and model version, plus the
     * configured static labels. Static labels never replace Vigil's own.
     */
    public Map<String, String> labels(Alert a) {
        Map<String, String> labels = new TreeMap<>(staticLabels);
        labels.put(ALERTNAME, alertName);
        labels.put(ALERT_ID, a.getAlertId());
        labels.put(ENTITY, a.getEntityId());
        labels.put(STREAM, a.getStreamKind().name().toLowerCase(Locale.ROOT));
        labels.put(SEVERITY, a.getSeverity().name().toLowerCase(Locale.ROOT));
        labels.put(MODEL, a.getModelId());
        labels.put(MODEL_VERSION, a.getModelVersion());
        return labels;
    }

    /**
     * The annotations: {@code summary} (one line), {@code description} (the channels that drove the
     * score, each with its actual and expected value and its share), {@code score}, {@code threshold},
     * {@code peak_score}, {@code fired_by}, {@code anomalous_events}, {@code opened_at} (event time) and
     * {@code runbook_url}.
     */
    public Map<String, String> annotations(Alert a) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        List<ChannelDetail> channels = a.getChannels();
        for (int i = 0; i < Math.min(CHANNELS_SHOWN, channels.size()); i++) {
            ChannelDetail c = channels.get(i);
            parts.add(String.format(
                    Locale.ROOT,
                    "%s %s (expected %s, %.0f%% of the error)",
                    c.getName(),
                    number(c.getActual()),
                    number(c.getExpected()),
                    100 * c.getContribution()));
        }
        String top = parts.isEmpty() ? "" : ": " + parts.get(0);
        out.put(
                "summary",
                String.format(
                        Locale.ROOT,
                        "%s %s anomalous%s (score %.3f over threshold %.3f)",
                        a.getStreamKind().name().toLowerCase(Locale.ROOT),
                        a.getEntityId(),
                        top,
                        a.getScore(),
                        a.getThreshold()));
        out.put(
                "description",
                String.format(
                        Locale.ROOT,
                        "%s%s. Fired by %s; %d anomalous events since %s; model %s/%s;" + " %s threshold.",
                        parts.isEmpty() ? "No channel detail" : String.join("; ", parts),
                        channels.size() > CHANNELS_SHOWN
                                ? "; " + (channels.size() - CHANNELS_SHOWN) + " more channels"
                                : "",
                        a.getFiredBy().name(),
                        a.getAnomalousEvents(),
                        a.getOpenedAt(),
                        a.getModelId(),
                        a.getModelVersion(),
                        a.getThresholdKind()));
        out.put("score", String.format(Locale.ROOT, "%.4f", a.getScore()));
        out.put("threshold", String.format(Locale.ROOT, "%.4f", a.getThreshold()));
        out.put("peak_score", String.format(Locale.ROOT, "%.4f", a.getPeakScore()));
        out.put("fired_by", a.getFiredBy().name());
        out.put("anomalous_events", String.valueOf(a.getAnomalousEvents()));
        out.put("opened_at", a.getOpenedAt().toString());
        if (!runbookUrl.isEmpty()) {
            out.put("runbook_url", runbookUrl);
        }
        return out;
    }

    /** Four significant digits, without an exponent for everyday magnitudes. */
    private static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 || v == 0 ? "%.4g" : "%.3e", v);
    }
}
