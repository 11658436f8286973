package io.vigil.job.io;

import io.vigil.job.state.SensorEventTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A decoded, validated reading inside the job: values already in the model's feature order. It
 * travels (and is held in state) with its own {@link io.vigil.job.state.SensorEventSerializer}: one
 * block per reading, no reflection.
 */
@TypeInfo(SensorEventTypeInfo.Factory.class)
public class SensorEvent {

    public String entityId;
    public long eventTime;
    public double[] values;
    /** Kafka timestamp of the input record, carried to outputs so latency can be measured. */
    public long ingestTime;

    public int partition;
    public long offset;

    public SensorEvent() {}

    public SensorEvent(String entityId, long eventTime, double[] values, long ingestTime, int partition, long offset) {
        this.entityId = entityId;
        this.eventTime = eventTime;
        this.values = values;
        this.ingestTime = ingestTime;
        this.partition = partition;
        this.offset = offset;
    }

    @Override
    public String toString() {
        return entityId + "@" + eventTime + java.util.Arrays.toString(values);
    }
}
