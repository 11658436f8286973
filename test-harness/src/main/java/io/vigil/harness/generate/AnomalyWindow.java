package io.vigil.harness.generate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One injected anomaly: which entity, which kind, the event times of its first and last anomalous
 * events (both inclusive), the channels it touches, and a human-readable note of its parameters.
 */
public record AnomalyWindow(
        String id,
        String entityId,
        AnomalyKind kind,
        Instant startTime,
        Instant endTime,
        List<String> channels,
        String detail) {

    public AnomalyWindow {
        Objects.requireNonNull(id, "window id is required");
        Objects.requireNonNull(entityId, "entity id is required");
        Objects.requireNonNull(kind, "anomaly kind is required");
        Objects.requireNonNull(startTime, "start time is required");
        Objects.requireNonNull(endTime, "end time is required");
        if (endTime.isBefore(startTime)) {
            throw new IllegalArgumentException(
                    "window " + id + " ends (" + endTime + ") before it starts (" + startTime + ")");
        }
        channels = List.copyOf(channels);
        detail = detail == null ? "" : detail;
    }

    /** Whether {@code time} falls inside the window, both ends included. */
    public boolean contains(Instant time) {
        return !time.isBefore(startTime) && !time.isAfter(endTime);
    }
}
