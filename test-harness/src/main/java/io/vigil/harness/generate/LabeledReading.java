package io.vigil.harness.generate;

import io.vigil.schemas.SensorReading;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One generated reading with its ground-truth label: {@code values[i]} belongs to the generator's
 * channel {@code i}; {@code anomalyId} names the window the event is in, or is null when normal.
 */
public record LabeledReading(String entityId, Instant eventTime, double[] values, boolean anomalous, String anomalyId) {

    public LabeledReading {
        Objects.requireNonNull(entityId, "entity id is required");
        Objects.requireNonNull(eventTime, "event time is required");
        values = values.clone();
        if (anomalous != (anomalyId != null)) {
            throw new IllegalArgumentException(
                    "an anomalous reading names its window and a normal one does not; got anomalous=" + anomalous
                            + ", anomalyId=" + anomalyId);
        }
    }

    /** A copy of the values (the record itself stays immutable). */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** Value of channel {@code i}, without copying the array. */
    public double value(int i) {
        return values[i];
    }

    public int channelCount() {
        return values.length;
    }

    /** The reading as it goes on the wire, channel names from {@code channels} in order. */
    public SensorReading toSensorReading(List<String> channels) {
        if (channels.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values but " + channels.size() + " channel names");
        }
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(channels.get(i), values[i]);
        }
        return SensorReading.newBuilder()
                .setEntityId(entityId)
                .setEventTime(eventTime)
                .setValues(map)
                .setTags(Map.of())
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledReading r
                && entityId.equals(r.entityId)
                && eventTime.equals(r.eventTime)
                && Arrays.equals(values, r.values)
                && anomalous == r.anomalous
                && Objects.equals(anomalyId, r.anomalyId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entityId, eventTime, Arrays.hashCode(values), anomalous, anomalyId);
    }

    @Override
    public String toString() {
        return "LabeledReading[" + entityId + " " + eventTime + " " + Arrays.toString(values)
                + (anomalous ? " anomaly " + anomalyId : "") + "]";
    }
}
