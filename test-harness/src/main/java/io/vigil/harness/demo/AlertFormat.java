package io.vigil.harness.demo;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One line per alert that a person on call reads at a glance: when, who, how bad, what looked wrong.
 * A channel's part says what arrived and what the model expected: the LSTM's prediction, or, where the
 * channel had repeated one value for {@link #STUCK_READINGS} readings or more, that it was expected to
 * move (the LSTM then predicts the repeated value well, and the anomaly is an error far below normal,
 * so its prediction would read as if it had expected the stuck value).
 */
public final class AlertFormat {

    /** Readings with one unchanged value from which a channel is described as stuck. */
    static final int STUCK_READINGS = 4;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int CHANNELS_SHOWN = 2;

    private AlertFormat() {}

    /** Alerts in the order to print them: by event time, then entity, then status (OPEN before UPDATE). */
    public static final Comparator<Alert> TIME_ORDER = Comparator.comparingLong(
                    (Alert a) -> a.getEventTime().toEpochMilli())
            .thenComparing(Alert::getEntityId)
            .thenComparing(Alert::getStatus);

    /** {@code alerts} sorted into {@link #TIME_ORDER}. */
    public static List<Alert> inTimeOrder(List<Alert> alerts) {
        return alerts.stream().sorted(TIME_ORDER).toList();
    }

    public static String line(Alert a, RecentReadings recent) {
        if (a.getStatus() == AlertStatus.RESOLVED) {
            return resolved(a);
        }
        StringBuilder what = new StringBuilder();
        int shown = 0;
        for (ChannelDetail c : a.getChannels()) {
            if (shown == CHANNELS_SHOWN || (shown > 0 && c.getContribution() < 0.1)) {
                break;
            }
            int unchanged = recent.unchangedRun(
                    a.getEntityId(), c.getName(), a.getEventTime().toEpochMilli());
            String seen = unchanged >= STUCK_READINGS
                    ? String.format(
                            Locale.ROOT,
                            "%s %s unchanged for %d readings (expected it to move, %.0f%%)",
                            c.getName(),
                            number(c.getActual()),
                            unchanged,
                            100 * c.getContribution())
                    : String.format(
                            Locale.ROOT,
                            "%s %s (expected %s, %.0f%%)",
                            c.getName(),
                            number(c.getActual()),
                            number(c.getExpected()),
                            100 * c.getContribution());
            what.append(shown == 0 ? "" : "; ").append(seen);
            shown++;
        }
        return opened(a, what.toString(), "");
    }

    /**
     * A transaction alert's line: its explanation in the analyst's words (what the job wrote, e.g. "amount 38x
     * the account's median"), at most {@link #CHANNELS_SHOWN} of its reasons, and the transaction it is about.
     */
    public static String transactionLine(Alert a) {
        if (a.getStatus() == AlertStatus.RESOLVED) {
            return resolved(a);
        }
        List<String> why = a.getExplanation();
        String what = why.isEmpty()
                ? String.join(", ", a.getTopFeatures())
                : String.join("; ", why.subList(0, Math.min(CHANNELS_SHOWN, why.size())));
        return opened(a, what, a.getEventId() == null ? "" : a.getEventId() + ", ");
    }

    private static String resolved(Alert a) {
        return String.format(
                Locale.ROOT,
                "%s  RESOLVED  %-12s after %d anomalous event(s), peak score %.4f",
                TIME.format(a.getEventTime()),
                a.getEntityId(),
                a.getAnomalousEvents(),
                a.getPeakScore());
    }

    private static String opened(Alert a, String what, String about) {
        String model = switch (a.getFiredBy()) {
            case LSTM -> "LSTM";
            case AUTOENCODER -> "autoencoder";
            case BOTH -> "LSTM+autoencoder";
        };
        return String.format(
                Locale.ROOT,
                "%s  %-8s  %-12s score %.4f %-8s %s  [%s%s, %s]",
                TIME.format(a.getEventTime()),
                a.getStatus() == AlertStatus.OPEN ? "OPEN" : "UPDATE",
                a.getEntityId(),
                a.getScore(),
                a.getSeverity(),
                what,
                about,
                model,
                a.getModelVersion());
    }

    private static String number(double v) {
        double abs = Math.abs(v);
        return abs >= 1000 || (abs > 0 && abs < 0.01)
                ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
