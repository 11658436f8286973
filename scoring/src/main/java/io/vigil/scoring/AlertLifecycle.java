package io.vigil.scoring;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Turns per-event verdicts into alerts an SRE can live with: an anomaly that persists opens one
 * alert, and the alert resolves (same id) once the key has been quiet for {@code resolveAfter}
 * events; after that no new alert opens for the key during the cool-down. State lives in
 * {@link KeyState}, so it is checkpointed with the key.
 */
public final class AlertLifecycle implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What an event did to the key's alert. */
    public enum Transition {
        NONE,
        OPEN,
        /** Still open and the severity went up. */
        ESCALATE,
        RESOLVE
    }

    /** Severity by how far the peak z-score is past the threshold's z. */
    public enum Severity {
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL;

        public static Severity of(double z, double thresholdZ) {
            double over = z - thresholdZ;
            return over < 1 ? LOW : over < 2 ? MEDIUM : over < 4 ? HIGH : CRITICAL;
        }
    }

    private final int openAfter;
    private final int resolveAfter;
    private final long cooldownMillis;

    public AlertLifecycle(int resolveAfter, Duration cooldown) {
        this(1, resolveAfter, cooldown);
    }

    /**
     * @param openAfter consecutive events over the threshold that open an alert (the alert's time is
     *     that of the first of them)
     * @param resolveAfter consecutive events under the threshold that resolve it
     * @param cooldown how long after a resolve no new alert opens for the key
     */
    public AlertLifecycle(int openAfter, int resolveAfter, Duration cooldown) {
        if (openAfter < 1) {
            throw new IllegalArgumentException("open-after must be at least 1 event, is " + openAfter);
        }
        this.openAfter = openAfter;
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolve-after must be at least 1 event, is " + resolveAfter);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cool-down must not be negative, is " + cooldown);
        }
        this.resolveAfter = resolveAfter;
        this.cooldownMillis = cooldown.toMillis();
    }

    public static AlertLifecycle defaults() {
        return new AlertLifecycle(10, Duration.ZERO);
    }

    /** Applies one scored event to the key's alert state. */
    public Transition apply(String key, KeyState s, ScoreView v, long eventTime) {
        double z = Math.max(v.lstmZ(), v.aeZ());
        boolean open = s.alertOpenedAt != Long.MIN_VALUE;
        if (!open) {
            if (!v.anomalous() || eventTime < s.cooldownUntil) {
                s.hotEvents = 0;
                return Transition.NONE;
            }
            if (s.hotEvents++ == 0) {
                s.hotSince = eventTime;
                s.alertPeak = 0f;
                s.alertPeakZ = 0f;
            }
            s.alertPeak = (float) Math.max(s.alertPeak, v.score());
            s.alertPeakZ = (float) Math.max(s.alertPeakZ, z);
            if (s.hotEvents < openAfter) {
                return Transition.NONE;
            }
            s.alertOpenedAt = s.hotSince;
            s.alertId = alertId(key, s.hotSince, v.modelId(), v.modelVersion());
            s.alertEvents = s.hotEvents;
            s.hotEvents = 0;
            s.quietEvents = 0;
            return Transition.OPEN;
        }
        if (v.anomalous()) {
            Severity before = Severity.of(s.alertPeakZ, v.thresholdZ());
            s.alertEvents++;
            s.quietEvents = 0;
            s.alertPeak = (float) Math.max(s.alertPeak, v.score());
            s.alertPeakZ = (float) Math.max(s.alertPeakZ, z);
            return Severity.of(s.alertPeakZ, v.thresholdZ()).compareTo(before) > 0 ? Transition.ESCALATE : Transition.NONE;
        }
        if (++s.quietEvents >= resolveAfter) {
            s.cooldownUntil = eventTime + cooldownMillis;
            return Transition.RESOLVE;
        }
        return Transition.NONE;
    }

    /** Clears the alert after the RESOLVE record has been built from the state. */
    public static void clear(KeyState s) {
        s.alertOpenedAt = Long.MIN_VALUE;
        s.alertId = null;
        s.alertPeak = 0f;
        s.alertPeakZ = 0f;
        s.alertEvents = 0;
        s.quietEvents = 0;
    }

    /**
     * The alert id: a name-based UUID of entity, opening event time, model id and version, so the same
     * anomaly under the same model always has the same id (consumers can de-duplicate on it).
     */
    public static String alertId(String entity, long openedAt, String modelId, String modelVersion) {
        String name = entity + '\u0000' + openedAt + '\u0000' + modelId + '\u0000' + modelVersion;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
