package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Turns per-event surprise into alerts an operator can act on: one alert per anomalous episode, opened
 * as early as the evidence allows, never re-fired while open, resolved when the key is back to normal.
 *
 * <ul>
 *   <li><b>Open.</b> While no alert is open, each event adds its surprise above the {@code drift} to the
 *       run's evidence (a cumulative sum that never falls below 0, Page's CUSUM on surprise). The alert
 *       opens when the evidence reaches {@code threshold - drift}: at once for one event as surprising as
 *       the threshold, after a few for a run of moderately surprising ones. Its id and its
 *       {@code openedAt} are those of the run's first event.</li>
 *   <li><b>Stay open.</b> While open, the key is judged against its <em>normal</em> reference, which
 *       learns nothing meanwhile: an alert does not fade because the anomaly goes on.</li>
 *   <li><b>Resolve.</b> After {@code resolveAfter} consecutive events whose surprise against the normal
 *       reference is under the drift. An alert that has not resolved after {@code maxOpenEvents} is
 *       closed as the key's new normal ({@link Transition#ACCEPT}): a lasting change is reported once,
 *       not forever.</li>
 * </ul>
 *
 * <p>State lives in {@link KeyState.Episode}, so it is checkpointed with the key.
 */
public final class AlertLifecycle implements Serializable {

    private static final long serialVersionUID = 2L;

    /** What an event did to the key's alert. */
    public enum Transition {
        NONE,
        OPEN,
        /** Still open and the severity went up. */
        ESCALATE,
        /** Resolved: the key is back to normal. */
        RESOLVE,
        /** Resolved: open for {@code maxOpenEvents}, what the key does now is its new normal. */
        ACCEPT
    }

    /** Severity by how many decades the alert's peak surprise is past the threshold. */
    public enum Severity {
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL;

        public static Severity of(double peakSurprise, double threshold) {
            double over = peakSurprise - threshold;
            return over < 1 ? LOW : over < 2 ? MEDIUM : over < 4 ? HIGH : CRITICAL;
        }
    }

    private final double threshold;
    private final double drift;
    private final int resolveAfter;
    private final int maxOpenEvents;
    private final long cooldownMillis;

    /**
     * @param threshold surprise at which one event alone opens an alert
     * @param drift surprise an event must exceed to add evidence, and under which it counts as normal
     * @param resolveAfter consecutive normal events that resolve an open alert
     * @param maxOpenEvents events after which an open alert is closed as the key's new normal
     * @param cooldown how long after a resolve no new alert opens for the key
     */
    public AlertLifecycle(double threshold, double drift, int resolveAfter, int maxOpenEvents, Duration cooldown) {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the alert threshold must be a positive surprise, is " + threshold);
        }
        if (!(drift >= 0 && drift <= threshold)) {
            throw new IllegalArgumentException(
                    "the alert drift must be in [0, threshold = " + threshold + "], is " + drift);
        }
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolve-after must be at least 1 event, is " + resolveAfter);
        }
        if (maxOpenEvents < 1) {
            throw new IllegalArgumentException("max-open must be at least 1 event, is " + maxOpenEvents);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cool-down must not be negative, is " + cooldown);
        }
        this.threshold = threshold;
        this.drift = drift;
        this.resolveAfter = resolveAfter;
        this.maxOpenEvents = maxOpenEvents;
        this.cooldownMillis = cooldown.toMillis();
    }

    /** The bundle's settings, with no cool-down. */
    public static AlertLifecycle of(BundleManifest.AlertSpec spec) {
        return new AlertLifecycle(
                spec.threshold(), spec.drift(), spec.resolveAfter(), spec.maxOpenEvents(), Duration.ZERO);
    }

    public double threshold() {
        return threshold;
    }

    public double drift() {
        return drift;
    }

    /**
     * Applies one scored event to the key's alert.
     *
     * @param surprise the event's surprise against the key's recent behaviour
     * @param normalSurprise its surprise against the key's normal behaviour
     * @param score the event's score
     * @param warm whether the key may alert yet
     */
    public Transition apply(
            String key,
            KeyState s,
            double surprise,
            double normalSurprise,
            double score,
            boolean warm,
            long eventTime,
            String modelId,
            String modelVersion) {
        KeyState.Episode e = s.episode;
        if (!e.open()) {
            if (!warm || eventTime < e.cooldownUntil) {
                e.evidence = 0;
                return Transition.NONE;
            }
            double excess = surprise - drift;
            if (e.evidence <= 0 && excess > 0) {
                e.evidenceSince = eventTime; // a new run of surprising events
                e.anomalousEvents = 0;
                e.peakScore = 0;
                e.peakSurprise = 0;
            }
            e.evidence = (float) Math.max(0, e.evidence + excess);
            if (e.evidence <= 0) {
                return Transition.NONE;
            }
            e.anomalousEvents++;
            e.peakScore = (float) Math.max(e.peakScore, score);
            e.peakSurprise = (float) Math.max(e.peakSurprise, surprise);
            if (e.evidence < threshold - drift) {
                return Transition.NONE;
            }
            e.openedAt = e.evidenceSince;
            e.alertId = alertId(key, e.evidenceSince, modelId, modelVersion);
            e.evidence = 0;
            e.openEvents = 0;
            e.quietEvents = 0;
            return Transition.OPEN;
        }
        e.openEvents++;
        Severity before = Severity.of(e.peakSurprise, threshold);
        if (normalSurprise >= threshold) {
            e.anomalousEvents++;
        }
        e.peakScore = (float) Math.max(e.peakScore, score);
        e.peakSurprise = (float) Math.max(e.peakSurprise, normalSurprise);
        e.quietEvents = normalSurprise < drift ? e.quietEvents + 1 : 0;
        if (e.quietEvents >= resolveAfter) {
            e.cooldownUntil = eventTime + cooldownMillis;
            return Transition.RESOLVE;
        }
        if (e.openEvents >= maxOpenEvents) {
            e.cooldownUntil = eventTime + cooldownMillis;
            return Transition.ACCEPT;
        }
        return Severity.of(e.peakSurprise, threshold).compareTo(before) > 0 ? Transition.ESCALATE : Transition.NONE;
    }

    /** The open alert's severity. */
    public Severity severity(KeyState s) {
        return Severity.of(s.episode.peakSurprise, threshold);
    }

    /** Clears the alert after the resolve record has been built from the state. */
    public static void clear(KeyState s) {
        KeyState.Episode e = s.episode;
        e.openedAt = Long.MIN_VALUE;
        e.alertId = null;
        e.peakScore = 0f;
        e.peakSurprise = 0f;
        e.anomalousEvents = 0;
        e.openEvents = 0;
        e.quietEvents = 0;
        e.evidence = 0f;
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
