package io.vigil.harness.evaluate;

/**
 * One alert from OPEN to RESOLVED: the events of its entity from {@code openedAt} up to, not
 * including, {@code resolvedAt} are predicted anomalous. An alert never resolved lasts to the end of
 * the stream ({@code resolvedAt == Long.MAX_VALUE}). {@code raisedAt} is the event time of the OPEN
 * record itself: the job may open an alert a few events after the first anomalous one (it waits for
 * the anomaly to persist), and detection and its delay are judged by when the alert was raised.
 */
public record AlertEpisode(String alertId, String entityId, long openedAt, long raisedAt, long resolvedAt) {

    public static final long NEVER = Long.MAX_VALUE;

    public AlertEpisode {
        if (resolvedAt < openedAt) {
            throw new IllegalArgumentException(
                    "alert " + alertId + " resolves at " + resolvedAt + ", before it opened at " + openedAt);
        }
    }

    public boolean resolved() {
        return resolvedAt != NEVER;
    }

    /** Whether the alert was open at event time {@code t}. */
    public boolean covers(long t) {
        return t >= openedAt && t < resolvedAt;
    }
}
