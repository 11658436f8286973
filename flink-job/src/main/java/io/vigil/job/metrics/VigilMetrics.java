package io.vigil.job.metrics;

import io.vigil.schemas.Severity;
import io.vigil.scoring.bundle.ScoringModel;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Every metric the Vigil job reports, in one place: names, units, labels, and what moves them.
 *
 * <p>All of them live in the operator's group {@value #GROUP}. Flink's Prometheus reporter names a
 * metric {@code flink_<logical scope>_<metric>}, the logical scope of an operator being
 * {@code taskmanager_job_task_operator} plus the user groups, and turns the key of every key/value
 * group into a label (the key stays in the name, the value does not). So {@link #EVENTS_SCORED} of the
 * scoring operator is scraped as {@code flink_taskmanager_job_task_operator_vigil_events_scored_total},
 * and an alert opened at severity high as
 * {@code flink_taskmanager_job_task_operator_vigil_severity_alerts_opened_total{severity="high"}}, next
 * to Flink's own labels (job, task, operator, subtask, host). Names follow Prometheus' conventions: the
 * unit in the name, {@code _total} for counters. No label has more than a handful of values: severities,
 * dead-letter reasons, the model id and version in use; never an entity. Flink's reporter exports
 * counters as gauges and histograms as summaries (quantiles 0.5 to 0.999 over the last
 * {@value #HISTOGRAM_WINDOW} batches, and {@code _count}); {@code rate()} works on them as on counters.
 *
 * <p>Every labelled counter is registered for all its label values at once, so a series exists (at 0)
 * before its first event and {@code rate()} sees the first one. Gauges are read by the reporter's
 * thread without synchronisation: a value may be a moment old.
 */
public final class VigilMetrics {

    /** The metric group, the first user scope of every name. */
    public static final String GROUP = "vigil";
    /** What Flink's Prometheus reporter puts before every metric name below (operator scope, group vigil). */
    public static final String PROMETHEUS_PREFIX = "flink_taskmanager_job_task_operator_" + GROUP + "_";

    /** Counter: events scored (a key's events before its window is full are not). */
    public static final String EVENTS_SCORED = "events_scored_total";
    /** Counter per {@link #SEVERITY}: alerts opened, at the severity of their OPEN record. */
    public static final String ALERTS_OPENED = "alerts_opened_total";
    /** Counter per {@link #SEVERITY}: alerts resolved, at the severity of their RESOLVED record. */
    public static final String ALERTS_RESOLVED = "alerts_resolved_total";
    /** Counter per {@link #REASON}: records sent to the dead-letter topic. */
    public static final String DEAD_LETTERS = "dead_letters_total";
    /** Gauge: keys with state whose window and warm-up are complete (they can alert). */
    public static final String KEYS_WARM = "keys_warm";
    /** Gauge: keys with state still filling their window or warming up. */
    public static final String KEYS_WARMING = "keys_warming";
    /** Counter: keys whose state was dropped after {@code scoring.state-ttl} of silence. */
    public static final String KEYS_EXPIRED = "keys_expired_total";
    /** Gauge: readings held in memory until the watermark passes them. */
    public static final String READINGS_HELD = "readings_held";
    /** Histogram: events per inference call (one batch of keys). */
    public static final String INFERENCE_BATCH = "inference_batch_events";
    /**
     * Histogram: microseconds per inference call over a batch (both networks, calibration, alert
     * decisions). Flink histograms hold whole numbers, so the unit is the microsecond, not the second.
     */
    public static final String INFERENCE_TIME = "inference_microseconds";
    /** Counter: microseconds spent in inference calls; its rate over 1e6 is the share of time spent scoring. */
    public static final String INFERENCE_TIME_TOTAL = "inference_microseconds_total";
    /** Gauge, 1 for the model in use and 0 for ones used before, labelled {@link #MODEL} and {@link #VERSION}. */
    public static final String MODEL_INFO = "info";
    /** Gauge: seconds since the model in use was trained (its manifest's createdAt). */
    public static final String MODEL_AGE = "model_age_seconds";
    /** Counter: models swapped in without a restart. */
    public static final String MODEL_SWAPS = "model_swaps_total";
    /** Counter: announced models refused (checksum, missing file, other features); the old model kept scoring. */
    public static final String MODEL_REJECTIONS = "model_rejections_total";
    /** Gauge: seconds between the wall clock and the event time of the watermark the scoring operator is at. */
    public static final String EVENT_TIME_LAG = "event_time_lag_seconds";

    /** Label of {@link #ALERTS_OPENED} and {@link #ALERTS_RESOLVED}: the severity, lower case. */
    public static final String SEVERITY = "severity";
    /** Label of {@link #DEAD_LETTERS}: the reason, as in the {@code vigil.reason} header. */
    public static final String REASON = "reason";
    /** Labels of the model info gauge. */
    public static final String MODEL = "model";

    public static final String VERSION = "version";

    /** Batches (inference calls) each histogram keeps its quantiles over. */
    public static final int HISTOGRAM_WINDOW = 1024;

    private final MetricGroup group;
    private final Counter eventsScored;
    private final Map<Severity, Counter> opened = new EnumMap<>(Severity.class);
    private final Map<Severity, Counter> resolved = new EnumMap<>(Severity.class);
    private final DeadLetters deadLetters;
    private final Counter keysExpired;
    private final Counter modelSwaps;
    private final Counter modelRejections;
    private final Histogram batchSize;
    private final Histogram inferenceTime;
    private final Counter inferenceTimeTotal;
    private final Map<String, boolean[]> modelsSeen = new HashMap<>();
    private long keysWarm;
    private long keysWarming;
    private long held;
    private long modelCreatedMillis = -1;

    /**
     * The scoring operator's metrics, registered in {@code operatorGroup}; {@code watermark} is the
     * operator's current watermark ({@code Long.MIN_VALUE} before the first), read by the lag gauge.
     */
    public VigilMetrics(MetricGroup operatorGroup, LongSupplier watermark) {
        group = operatorGroup.addGroup(GROUP);
        eventsScored = group.counter(EVENTS_SCORED);
        for (Severity s : Severity.values()) {
            MetricGroup bySeverity = group.addGroup(SEVERITY, label(s));
            opened.put(s, bySeverity.counter(ALERTS_OPENED));
            resolved.put(s, bySeverity.counter(ALERTS_RESOLVED));
        }
        deadLetters = new DeadLetters(group, List.of(io.vigil.job.io.DeadLetter.LATE));
        keysExpired = group.counter(KEYS_EXPIRED);
        modelSwaps = group.counter(MODEL_SWAPS);
        modelRejections = group.counter(MODEL_REJECTIONS);
        batchSize = group.histogram(INFERENCE_BATCH, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        inferenceTime = group.histogram(INFERENCE_TIME, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        inferenceTimeTotal = group.counter(INFERENCE_TIME_TOTAL);
        group.gauge(KEYS_WARM, () -> keysWarm);
        group.gauge(KEYS_WARMING, () -> keysWarming);
        group.gauge(READINGS_HELD, () -> held);
        group.gauge(
                MODEL_AGE,
                () -> modelCreatedMillis < 0 ? Double.NaN : (System.currentTimeMillis() - modelCreatedMillis) / 1000.0);
        group.gauge(EVENT_TIME_LAG, () -> {
            long w = watermark.getAsLong();
            return w == Long.MIN_VALUE || w == Long.MAX_VALUE ? Double.NaN : (System.currentTimeMillis() - w) / 1000.0;
        });
    }

    /**
     * The name of every metric family above as Flink's Prometheus reporter exports it (histograms add a
     * {@code _count} series to theirs). Rules and dashboards may use exactly these.
     */
    public static List<String> prometheusNames() {
        return List.of(
                        EVENTS_SCORED,
                        SEVERITY + "_" + ALERTS_OPENED,
                        SEVERITY + "_" + ALERTS_RESOLVED,
                        REASON + "_" + DEAD_LETTERS,
                        KEYS_WARM,
                        KEYS_WARMING,
                        KEYS_EXPIRED,
                        READINGS_HELD,
                        INFERENCE_BATCH,
                        INFERENCE_TIME,
                        INFERENCE_TIME_TOTAL,
                        MODEL + "_" + VERSION + "_" + MODEL_INFO,
                        MODEL_AGE,
                        MODEL_SWAPS,
                        MODEL_REJECTIONS,
                        EVENT_TIME_LAG)
                .stream()
                .map(n -> PROMETHEUS_PREFIX + n)
                .toList();
    }

    /** A batch of {@code events} scored in one inference call that took {@code nanos}. */
    public void batchScored(int events, long nanos) {
        eventsScored.inc(events);
        batchSize.update(events);
        long micros = nanos / 1_000;
        inferenceTime.update(micros);
        inferenceTimeTotal.inc(micros);
    }

    public void alertOpened(Severity severity) {
        opened.get(severity).inc();
    }

    public void alertResolved(Severity severity) {
        resolved.get(severity).inc();
    }

    /** A reading dead-lettered by the scoring operator: behind its key's latest scored one. */
    public void late() {
        deadLetters.inc(io.vigil.job.io.DeadLetter.LATE);
    }

    /** A key got its first state; it warms up from now. */
    public void keyAdded() {
        keysWarming++;
    }

    /** A key finished its window and warm-up. */
    public void keyWarmed() {
        keysWarming = Math.max(0, keysWarming - 1);
        keysWarm++;
    }

    /** A key found in restored state. */
    public void keyRestored(boolean warm) {
        if (warm) {
            keysWarm++;
        } else {
            keysWarming++;
        }
    }

    /** A key's state expired. */
    public void keyExpired(boolean warm) {
        if (warm) {
            keysWarm = Math.max(0, keysWarm - 1);
        } else {
            keysWarming = Math.max(0, keysWarming - 1);
        }
        keysExpired.inc();
    }

    /** {@code n} readings now held for the watermark (negative: released). */
    public void held(int n) {
        held = Math.max(0, held + n);
    }

    /** The model now scoring: its info gauge reads 1, every earlier one's 0; its age counts from its training. */
    public void modelInUse(ScoringModel model) {
        String id = model.modelId() + "\n" + model.version();
        modelsSeen.values().forEach(inUse -> inUse[0] = false);
        boolean[] inUse = modelsSeen.get(id);
        if (inUse == null) {
            boolean[] flag = {true};
            group.addGroup(MODEL, model.modelId())
                    .addGroup(VERSION, model.version())
                    .gauge(MODEL_INFO, () -> flag[0] ? 1 : 0);
            modelsSeen.put(id, flag);
        } else {
            inUse[0] = true;
        }
        modelCreatedMillis = createdMillis(model.manifest().createdAt());
    }

    public void modelSwapped() {
        modelSwaps.inc();
    }

    public void modelRejected() {
        modelRejections.inc();
    }

    /** The label value of a severity: its name in lower case, as Alertmanager routes usually spell it. */
    public static String label(Severity severity) {
        return severity.name().toLowerCase(Locale.ROOT);
    }

    private static long createdMillis(String createdAt) {
        if (createdAt == null) {
            return -1;
        }
        try {
            return Instant.parse(createdAt).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1; // the age gauge reads NaN: better than a wrong age
        }
    }

    /**
     * The dead-letter counter of one operator, labelled by {@link #REASON}: the decode operator counts
     * what the source could not use, the scoring operator the late readings.
     */
    public static final class DeadLetters {
        private final Map<String, Counter> byReason = new HashMap<>();
        private final MetricGroup vigilGroup;

        /** Registers the counter for each of {@code reasons} in {@code vigilGroup}. */
        private DeadLetters(MetricGroup vigilGroup, Collection<String> reasons) {
            this.vigilGroup = vigilGroup;
            for (String reason : reasons) {
                byReason.put(reason, vigilGroup.addGroup(REASON, reason).counter(DEAD_LETTERS));
            }
        }

        /** The dead-letter counter of the operator whose group is {@code operatorGroup}, for these reasons. */
        public static DeadLetters register(MetricGroup operatorGroup, Collection<String> reasons) {
            return new DeadLetters(operatorGroup.addGroup(GROUP), reasons);
        }

        /** One record dead-lettered for {@code reason}; a reason not registered up front gets its counter now. */
        public void inc(String reason) {
            byReason.computeIfAbsent(reason, r -> vigilGroup.addGroup(REASON, r).counter(DEAD_LETTERS))
                    .inc();
        }
    }
}
