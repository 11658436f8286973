package io.vigil.job.operator;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.SensorEvent;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.FiredBy;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.Severity;
import io.vigil.schemas.StreamKind;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds what the scoring operator emits: the Avro alert and score records of a scored event and its
 * key's state, and the dead letter of a reading that arrived too late to be scored in order. Sensor and
 * transaction streams write the same records; a transaction's carry its id and the explanation in words.
 */
public final class OutputRecords {

    private static final int TOP_FEATURES = 3;

    /** {@code resolution} of a resolve: the key is back to normal. */
    static final String RESOLVED_NORMAL = "normal";
    /** {@code resolution} of a resolve: open too long, the key's behaviour is its new normal. */
    static final String RESOLVED_NEW_NORMAL = "new-normal";
    /** {@code resolution} of a resolve: the key went silent and its state expired. */
    static final String RESOLVED_EXPIRED = "expired";
    /** {@code thresholdKind} of the records this code writes. */
    static final String THRESHOLD_KIND = "surprise";

    private OutputRecords() {}

    static KafkaMessage alert(
            String key,
            KeyState s,
            ScoreView v,
            AlertStatus status,
            String resolution,
            long eventTime,
            long ingestTime,
            long now) {
        return alert(key, s, v, status, resolution, eventTime, ingestTime, now, StreamKind.SENSOR, null, List.of());
    }

    /**
     * An alert record of any stream: {@code eventId} names the event (a transaction's id; null for a
     * reading) and {@code explanation} says in words what drove it (empty for sensors).
     */
    public static KafkaMessage alert(
            String key,
            KeyState s,
            ScoreView v,
            AlertStatus status,
            String resolution,
            long eventTime,
            long ingestTime,
            long now,
            StreamKind kind,
            String eventId,
            List<String> explanation) {
        List<ChannelDetail> channels = new ArrayList<>();
        for (int j = 0; j < v.features().size(); j++) {
            channels.add(new ChannelDetail(v.features().names().get(j), v.expected(j), v.actual(j), v.contribution(j)));
        }
        channels.sort(Comparator.comparingDouble(ChannelDetail::getContribution).reversed());
        List<String> top = new ArrayList<>();
        for (ChannelDetail c : channels) {
            if (top.size() < TOP_FEATURES && c.getContribution() >= 0.1) {
                top.add(c.getName());
            }
        }
        if (top.isEmpty() && !channels.isEmpty()) {
            top.add(channels.get(0).getName());
        }
        String fired = v.firedBy();
        Alert alert = Alert.newBuilder()
                .setAlertId(s.episode.alertId)
                .setEntityId(key)
                .setStreamKind(kind)
                .setStatus(status)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setDetectionTime(Instant.ofEpochMilli(now))
                .setOpenedAt(Instant.ofEpochMilli(s.episode.openedAt))
                .setScore(v.score())
                .setPeakScore(Math.max(s.episode.peakScore, v.score()))
                .setSeverity(severity(v.severity()))
                .setThreshold(v.threshold())
                .setThresholdKind(THRESHOLD_KIND)
                .setSurprise(v.surprise())
                .setPeakSurprise(s.episode.peakSurprise)
                .setThresholdSurprise(v.thresholdSurprise())
                .setResolution(resolution)
                .setLstmError(v.lstmError())
                .setAeError(v.aeError())
                .setFiredBy("NONE".equals(fired) ? FiredBy.BOTH : FiredBy.valueOf(fired))
                .setChannels(channels)
                .setTopFeatures(top)
                .setAnomalousEvents(s.episode.anomalousEvents)
                .setModelId(v.modelId())
                .setModelVersion(v.modelVersion())
                .setIngestTime(Instant.ofEpochMilli(ingestTime))
                .setEventId(eventId)
                .setExplanation(explanation)
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(alert), now);
    }

    /** A resolve for a key whose state expires while an alert is open (the key went silent). */
    static KafkaMessage expired(String key, KeyState s, long eventTime, long now, String modelId, String version) {
        return expired(key, s, eventTime, now, modelId, version, StreamKind.SENSOR);
    }

    /** {@link #expired(String, KeyState, long, long, String, String)} of a stream of {@code kind}. */
    public static KafkaMessage expired(
            String key, KeyState s, long eventTime, long now, String modelId, String version, StreamKind kind) {
        Alert alert = Alert.newBuilder()
                .setAlertId(s.episode.alertId)
                .setEntityId(key)
                .setStreamKind(kind)
                .setStatus(AlertStatus.RESOLVED)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setDetectionTime(Instant.ofEpochMilli(now))
                .setOpenedAt(Instant.ofEpochMilli(s.episode.openedAt))
                .setScore(0)
                .setPeakScore(s.episode.peakScore)
                .setPeakSurprise(s.episode.peakSurprise)
                .setSeverity(Severity.LOW)
                .setThreshold(0)
                .setThresholdKind(THRESHOLD_KIND)
                .setResolution(RESOLVED_EXPIRED)
                .setLstmError(0)
                .setAeError(0)
                .setFiredBy(FiredBy.BOTH)
                .setChannels(List.of())
                .setTopFeatures(List.of())
                .setAnomalousEvents(s.episode.anomalousEvents)
                .setModelId(modelId)
                .setModelVersion(version)
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(alert), now);
    }

    static KafkaMessage score(String key, ScoreView v, long eventTime, long ingestTime, long now) {
        return score(key, v, eventTime, ingestTime, now, null);
    }

    /** A score record; {@code eventId} names the event where the stream has ids (transactions), else null. */
    public static KafkaMessage score(
            String key, ScoreView v, long eventTime, long ingestTime, long now, String eventId) {
        EventScore score = EventScore.newBuilder()
                .setEntityId(key)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setScore(v.score())
                .setSurprise(v.surprise())
                .setLstmError(v.lstmError())
                .setAeError(v.aeError())
                .setThreshold(v.threshold())
                .setAnomalous(v.anomalous())
                .setWarm(v.warm())
                .setModelId(v.modelId())
                .setModelVersion(v.modelVersion())
                .setIngestTime(Instant.ofEpochMilli(ingestTime))
                .setEventId(eventId)
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(score), now);
    }

    /** A reading behind its key's latest scored one: dead-lettered as the original reading, with the reason. */
    static DeadLetter late(SensorEvent e, long keyAt, long watermark, FeatureSpec features) {
        Map<String, Double> values = new HashMap<>();
        for (int j = 0; j < e.values.length; j++) {
            values.put(features.names().get(j), e.values[j]);
        }
        SensorReading reading = SensorReading.newBuilder()
                .setEntityId(e.entityId)
                .setEventTime(Instant.ofEpochMilli(e.eventTime))
                .setValues(values)
                .build();
        return new DeadLetter(
                e.entityId.getBytes(StandardCharsets.UTF_8),
                WireFormat.encode(reading),
                DeadLetter.LATE,
                "event time " + Instant.ofEpochMilli(e.eventTime) + " is not after " + Instant.ofEpochMilli(keyAt)
                        + ", the latest reading of this key already scored (watermark "
                        + Instant.ofEpochMilli(watermark) + "); raise watermark.out-of-orderness to"
                        + " wait longer for late readings",
                "",
                e.partition,
                e.offset,
                e.ingestTime);
    }

    /** The {@code resolution} of a resolving transition. */
    static String resolution(AlertLifecycle.Transition t) {
        return t == AlertLifecycle.Transition.RESOLVE ? RESOLVED_NORMAL : RESOLVED_NEW_NORMAL;
    }

    /** The record's severity for the lifecycle's. */
    static Severity severity(AlertLifecycle.Severity s) {
        return Severity.valueOf(s.name());
    }
}
