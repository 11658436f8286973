package io.vigil.harness.evaluate;

import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.AnomalyWindow;
import io.vigil.harness.truth.EventLabel;
import io.vigil.harness.truth.GroundTruth;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.trainer.evaluation.Confusion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Scores the alerts a run produced against the ground truth of its input.
 *
 * <p>Alerts have a lifecycle: an OPEN record starts an episode at its {@code openedAt} (its event
 * time when {@code openedAt} is unset), the RESOLVED record with the same alert id ends it; an
 * episode never resolved lasts to the end of the stream. A window counts as detected when an episode
 * of its entity opens within [start, end + tolerance]: the tolerance admits detectors that need a few
 * events to be sure, and the alert a model raises when a level shift or a stuck channel ends.
 *
 * <pre>{@code
 * AlertLog log = AlertTopicReader.read(AlertTopicReader.Options.of(bootstrap, "alerts", idle, deadline));
 * AlertEvaluation report = AlertEvaluator.forTruth(truth, labels).evaluate(log);
 * System.out.println(report.toText());
 * }</pre>
 */
public final class AlertEvaluator {

    /** Default tolerance after a window's end, in event intervals. */
    public static final int DEFAULT_TOLERANCE_EVENTS = 16;

    /** The event spacing of the stream (to express delays in events) and the tolerance in events. */
    public record Options(long intervalMillis, int toleranceEvents) {

        public Options {
            if (intervalMillis < 1) {
                throw new IllegalArgumentException("event interval must be at least 1 ms, got " + intervalMillis);
            }
            if (toleranceEvents < 0) {
                throw new IllegalArgumentException("tolerance must be 0 or more events, got " + toleranceEvents);
            }
        }

        public static Options of(long intervalMillis) {
            return new Options(intervalMillis, DEFAULT_TOLERANCE_EVENTS);
        }
    }

    private final List<AnomalyWindow> windows;
    private final List<EventLabel> labels;
    private final Options options;

    /**
     * @param labels per-event labels; empty to skip the event-level figures
     */
    public AlertEvaluator(List<AnomalyWindow> windows, List<EventLabel> labels, Options options) {
        this.windows = List.copyOf(windows);
        this.labels = List.copyOf(labels);
        this.options = Objects.requireNonNull(options, "options are required");
    }

    /** An evaluator for a generated stream's ground truth, with the default tolerance. */
    public static AlertEvaluator forTruth(GroundTruth truth, List<EventLabel> labels) {
        return new AlertEvaluator(truth.windows(), labels, Options.of(truth.intervalMillis()));
    }

    /** Reads the alert topic and scores what it holds. */
    public AlertEvaluation evaluateTopic(AlertTopicReader.Options read) {
        return evaluate(AlertTopicReader.read(read));
    }

    public AlertEvaluation evaluate(AlertLog log) {
        Lifecycle lifecycle = Lifecycle.of(log.alerts());
        List<AlertEpisode> episodes = lifecycle.episodes();
        long tolerance = options.intervalMillis() * options.toleranceEvents();

        Map<String, List<AlertEpisode>> episodesByEntity = new HashMap<>();
        for (AlertEpisode e : episodes) {
            episodesByEntity
                    .computeIfAbsent(e.entityId(), k -> new ArrayList<>())
                    .add(e);
        }
        Map<String, List<AnomalyWindow>> windowsByEntity = new HashMap<>();
        for (AnomalyWindow w : windows) {
            windowsByEntity
                    .computeIfAbsent(w.entityId(), k -> new ArrayList<>())
                    .add(w);
        }

        int detected = 0;
        List<Long> delays = new ArrayList<>();
        Map<AnomalyKind, int[]> kinds = new EnumMap<>(AnomalyKind.class);
        for (AnomalyWindow w : windows) {
            long start = w.startTime().toEpochMilli();
            long last = w.endTime().toEpochMilli() + tolerance;
            long firstOpen = episodesByEntity.getOrDefault(w.entityId(), List.of()).stream()
                    .mapToLong(AlertEpisode::raisedAt)
                    .filter(t -> t >= start && t <= last)
                    .min()
                    .orElse(Long.MIN_VALUE);
            int[] count = kinds.computeIfAbsent(w.kind(), k -> new int[2]);
            count[0]++;
            if (firstOpen != Long.MIN_VALUE) {
                detected++;
                count[1]++;
                delays.add(firstOpen - start);
            }
        }

        int truePositive = 0;
        for (AlertEpisode e : episodes) {
            boolean matches = windowsByEntity.getOrDefault(e.entityId(), List.of()).stream()
                    .anyMatch(w -> e.raisedAt() >= w.startTime().toEpochMilli()
                            && e.raisedAt() <= w.endTime().toEpochMilli() + tolerance);
            truePositive += matches ? 1 : 0;
        }

        Map<AnomalyKind, AlertEvaluation.KindCount> byKind = new EnumMap<>(AnomalyKind.class);
        kinds.forEach((k, c) -> byKind.put(k, new AlertEvaluation.KindCount(c[0], c[1])));

        return new AlertEvaluation(
                new AlertEvaluation.Windows(windows.size(), detected, byKind),
                new AlertEvaluation.Alerts(episodes.size(), truePositive),
                AlertEvaluation.Delay.of(delays, options.intervalMillis()),
                labels.isEmpty() ? null : new AlertEvaluation.Events(eventConfusion(episodesByEntity)),
                new AlertEvaluation.Integrity(
                        log.recordsRead(),
                        log.undecodable(),
                        log.alerts().size(),
                        lifecycle.distinctIds(),
                        lifecycle.duplicates(),
                        lifecycle.resolvedWithoutOpen(),
                        episodes.stream().filter(e -> !e.resolved()).count()),
                new AlertEvaluation.Settings(options.intervalMillis(), options.toleranceEvents()));
    }

    /** Every labelled event is predicted anomalous when an episode of its entity covers it. */
    private Confusion eventConfusion(Map<String, List<AlertEpisode>> episodesByEntity) {
        boolean[] predicted = new boolean[labels.size()];
        boolean[] actual = new boolean[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            EventLabel l = labels.get(i);
            actual[i] = l.anomalous();
            for (AlertEpisode e : episodesByEntity.getOrDefault(l.entityId(), List.of())) {
                if (e.covers(l.timestampMillis())) {
                    predicted[i] = true;
                    break;
                }
            }
        }
        return Confusion.of(predicted, actual);
    }

    /** Alert records folded into episodes, counting what does not fit the lifecycle. */
    record Lifecycle(List<AlertEpisode> episodes, int distinctIds, long duplicates, long resolvedWithoutOpen) {

        static Lifecycle of(List<Alert> alerts) {
            Map<String, List<Alert>> byId = new LinkedHashMap<>();
            for (Alert a : alerts) {
                byId.computeIfAbsent(a.getAlertId(), k -> new ArrayList<>()).add(a);
            }
            List<AlertEpisode> episodes = new ArrayList<>();
            long duplicates = 0;
            long resolvedWithoutOpen = 0;
            for (List<Alert> records : byId.values()) {
                Alert open = null;
                Alert resolve = null;
                Set<Long> updates = new HashSet<>();
                for (Alert a : records) {
                    AlertStatus status = a.getStatus();
                    if (status == AlertStatus.OPEN) {
                        if (open != null) {
                            duplicates++;
                        } else {
                            open = a;
                        }
                    } else if (status == AlertStatus.RESOLVED) {
                        if (resolve != null) {
                            duplicates++;
                        } else {
                            resolve = a;
                        }
                    } else if (!updates.add(a.getEventTime().toEpochMilli())) {
                        duplicates++;
                    }
                }
                if (open == null) {
                    resolvedWithoutOpen += resolve != null ? 1 : 0;
                    continue;
                }
                long openedAt = open.getOpenedAt() != null && open.getOpenedAt().toEpochMilli() > 0
                        ? open.getOpenedAt().toEpochMilli()
                        : open.getEventTime().toEpochMilli();
                long resolvedAt = resolve == null
                        ? AlertEpisode.NEVER
                        : Math.max(openedAt, resolve.getEventTime().toEpochMilli());
                long raisedAt = Math.max(openedAt, open.getEventTime().toEpochMilli());
                episodes.add(new AlertEpisode(open.getAlertId(), open.getEntityId(), openedAt, raisedAt, resolvedAt));
            }
            episodes.sort(Comparator.comparingLong(AlertEpisode::openedAt).thenComparing(AlertEpisode::entityId));
            return new Lifecycle(List.copyOf(episodes), byId.size(), duplicates, resolvedWithoutOpen);
        }
    }
}
