package io.vigil.harness.truth;

import java.util.Objects;

/** The ground-truth label of one event: entity, event time in epoch milliseconds, anomalous or not. */
public record EventLabel(String entityId, long timestampMillis, boolean anomalous) {

    public EventLabel {
        Objects.requireNonNull(entityId, "entity id is required");
    }
}
