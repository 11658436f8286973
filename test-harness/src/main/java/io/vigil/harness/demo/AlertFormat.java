package io.vigil.harness.demo;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One line per alert that a person on call reads at a glance: when, who, how bad, what looked wrong. */
public final class AlertFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int CHANNELS_SHOWN = 2;

    private AlertFormat() {}

    public static String line(Alert a) {
        String when = TIME.format(a.getEventTime());
        if (a.getStatus() == AlertStatus.RESOLVED) {
            return String.format(Locale.ROOT, "%s  RESOLVED  %-12s after %d anomalous event(s), peak score %.4f",
                    when, a.getEntityId(), a.getAnomalousEvents(), a.getPeakScore());
        }
        StringBuilder what = new StringBuilder();
        int shown = 0;
        for (ChannelDetail c : a.getChannels()) {
            if (shown == CHANNELS_SHOWN || (shown > 0 && c.getContribution() < 0.1)) {
                break;
            }
            what.append(String.format(Locale.ROOT, "%s%s %s (expected %s, %.0f%%)", shown == 0 ? "" : "; ",
                    c.getName(), number(c.getActual()), number(c.getExpected()), 100 * c.getContribution()));
            shown++;
        }
        String model = switch (a.getFiredBy()) {
            case LSTM -> "LSTM";
            case AUTOENCODER -> "autoencoder";
            case BOTH -> "LSTM+autoencoder";
        };
        return String.format(Locale.ROOT, "%s  %-8s  %-12s score %.4f %-8s %s  [%s, %s]", when,
                a.getStatus() == AlertStatus.OPEN ? "OPEN" : "UPDATE", a.getEntityId(), a.getScore(), a.getSeverity(),
                what, model, a.getModelVersion());
    }

    private static String number(double v) {
        double abs = Math.abs(v);
        return abs >= 1000 || (abs > 0 && abs < 0.01) ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
