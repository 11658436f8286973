package io.vigil.harness.evaluate;

import io.vigil.schemas.Alert;
import java.util.List;

/**
 * The alert records read from a topic, in the order they were read, with how many records there
 * were in all and how many of them did not decode as an {@link Alert}.
 */
public record AlertLog(List<Alert> alerts, long recordsRead, long undecodable) {

    public AlertLog {
        alerts = List.copyOf(alerts);
        if (recordsRead < alerts.size() + undecodable) {
            throw new IllegalArgumentException(recordsRead + " records read cannot hold " + alerts.size()
                    + " alerts and " + undecodable + " undecodable records");
        }
    }

    /** A log of alerts that were never on Kafka (all decoded), e.g. from a test sink. */
    public static AlertLog of(List<Alert> alerts) {
        return new AlertLog(alerts, alerts.size(), 0);
    }
}
