package io.vigil.job.scoring;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.FiredBy;
import io.vigil.schemas.Severity;
import io.vigil.schemas.StreamKind;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.vigil.job.io.KafkaMessage;

/** Builds the Avro alert and score records from a scored event and its key's state. */
final class AlertEncoder {

    private static final int TOP_FEATURES = 3;

    private AlertEncoder() {}

    static KafkaMessage alert(String key, KeyState s, ScoreView v, AlertStatus status, long eventTime, long ingestTime,
            long now) {
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
                .setAlertId(s.alertId)
                .setEntityId(key)
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(status)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setDetectionTime(Instant.ofEpochMilli(now))
                .setOpenedAt(Instant.ofEpochMilli(s.alertOpenedAt))
                .setScore(v.score())
                .setPeakScore(Math.max(s.alertPeak, v.score()))
                .setSeverity(severity(s, v))
                .setThreshold(v.threshold())
                .setThresholdKind(v.thresholdKind())
                .setLstmError(v.lstmError())
                .setAeError(v.aeError())
                .setFiredBy("NONE".equals(fired) ? FiredBy.BOTH : FiredBy.valueOf(fired))
                .setChannels(channels)
                .setTopFeatures(top)
                .setAnomalousEvents(s.alertEvents)
                .setModelId(v.modelId())
                .setModelVersion(v.modelVersion())
                .setIngestTime(Instant.ofEpochMilli(ingestTime))
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(alert), now);
    }

    /** A resolve for a key whose state expires while an alert is open (the key went silent). */
    static KafkaMessage expired(String key, KeyState s, long eventTime, long now, String modelId, String version,
            double threshold) {
        Alert alert = Alert.newBuilder()
                .setAlertId(s.alertId)
                .setEntityId(key)
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(AlertStatus.RESOLVED)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setDetectionTime(Instant.ofEpochMilli(now))
                .setOpenedAt(Instant.ofEpochMilli(s.alertOpenedAt))
                .setScore(0)
                .setPeakScore(s.alertPeak)
                .setSeverity(Severity.LOW)
                .setThreshold(threshold)
                .setThresholdKind("fixed")
                .setLstmError(0)
                .setAeError(0)
                .setFiredBy(FiredBy.BOTH)
                .setChannels(List.of())
                .setTopFeatures(List.of())
                .setAnomalousEvents(s.alertEvents)
                .setModelId(modelId)
                .setModelVersion(version)
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(alert), now);
    }

    static KafkaMessage score(String key, ScoreView v, long eventTime, long ingestTime, long now) {
        EventScore score = EventScore.newBuilder()
                .setEntityId(key)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setScore(v.score())
                .setLstmError(v.lstmError())
                .setAeError(v.aeError())
                .setThreshold(v.threshold())
                .setAnomalous(v.anomalous())
                .setWarm(v.warm())
                .setModelId(v.modelId())
                .setModelVersion(v.modelVersion())
                .setIngestTime(Instant.ofEpochMilli(ingestTime))
                .build();
        return new KafkaMessage(key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(score), now);
    }

    /** The severity of an alert record about the key's open alert: from its peak so far. */
    static Severity severity(KeyState s, ScoreView v) {
        return Severity.valueOf(AlertLifecycle.Severity.of(s.alertPeakZ, v.thresholdZ()).name());
    }
}
