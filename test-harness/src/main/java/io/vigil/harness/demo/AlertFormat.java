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
        String when = TIME.format(a.getEventTime());
        if (a.getStatus() == AlertStatus.RESOLVED) {
            return String.format(
                    Locale.ROOT,
                    "%s  RESOLVED  %-12s after %d anomalous event(s), peak score %.4f",
                    when,
                    a.getEntityId(),
                    a.getAnomalousEvents(),
                    a.getPeakScore());
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
        String model = switch (a.getFiredBy()) {
            case LSTM -> "LSTM";
            case AUTOENCODER -> "autoencoder";
            case BOTH -> "LSTM+autoencoder";
        };
        return String.format(
                Locale.ROOT,
                "%s  %-8s  %-12s score %.4f %-8s %s  [%s, %s]",
                when,
                a.getStatus() == AlertStatus.OPEN ? "OPEN" : "UPDATE",
                a.getEntityId(),
                a.getScore(),
                a.getSeverity(),
                what,
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
