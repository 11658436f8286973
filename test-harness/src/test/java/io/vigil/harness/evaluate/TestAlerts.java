package io.vigil.harness.evaluate;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.FiredBy;
import io.vigil.schemas.Severity;
import io.vigil.schemas.StreamKind;
import io.vigil.scoring.AlertLifecycle;
import java.time.Instant;
import java.util.List;

/** Hand-written alert records, shaped like the job's: deterministic ids, OPEN/UPDATE/RESOLVED. */
public final class TestAlerts {

    public static final String MODEL = "sensor-model";
    public static final String VERSION = "1";

    private TestAlerts() {}

    public static String id(String entity, long openedAt) {
        return AlertLifecycle.alertId(entity, openedAt, MODEL, VERSION);
    }

    static Alert open(String entity, long openedAt) {
        return alert(entity, AlertStatus.OPEN, openedAt, openedAt);
    }

    static Alert update(String entity, long openedAt, long eventTime) {
        return alert(entity, AlertStatus.UPDATE, openedAt, eventTime);
    }

    static Alert resolved(String entity, long openedAt, long eventTime) {
        return alert(entity, AlertStatus.RESOLVED, openedAt, eventTime);
    }

    static Alert alert(String entity, AlertStatus status, long openedAt, long eventTime) {
        return alert(entity, status, Severity.HIGH, openedAt, eventTime);
    }

    /** A record of {@code entity}'s alert that opened at {@code openedAt}, about its event at {@code eventTime}. */
    public static Alert alert(String entity, AlertStatus status, Severity severity, long openedAt, long eventTime) {
        return Alert.newBuilder()
                .setAlertId(id(entity, openedAt))
                .setEntityId(entity)
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(status)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setDetectionTime(Instant.ofEpochMilli(eventTime + 50))
                .setOpenedAt(Instant.ofEpochMilli(openedAt))
                .setScore(0.97)
                .setPeakScore(0.99)
                .setSeverity(severity)
                .setThreshold(0.9)
                .setLstmError(4.2)
                .setAeError(3.1)
                .setFiredBy(FiredBy.BOTH)
                .setChannels(List.of())
                .setTopFeatures(List.of("temperature"))
                .setModelId(MODEL)
                .setModelVersion(VERSION)
                .build();
    }
}
