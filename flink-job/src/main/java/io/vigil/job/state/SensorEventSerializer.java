package io.vigil.job.state;

import io.vigil.job.io.SensorEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** {@link SensorEvent} between the decoder and the scoring operator, and in its held readings (format 1). */
public final class SensorEventSerializer extends FramedSerializer<SensorEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    protected void write(SensorEvent e, DataOutputSerializer t) throws IOException {
        writeString(e.entityId, t);
        t.writeLong(e.eventTime);
        writeDoubles(e.values, t);
        t.writeLong(e.ingestTime);
        t.writeInt(e.partition);
        t.writeLong(e.offset);
    }

    @Override
    protected SensorEvent read(int format, DataInputDeserializer in) throws IOException {
        SensorEvent e = new SensorEvent();
        e.entityId = readString(in);
        e.eventTime = in.readLong();
        e.values = readDoubles(in);
        e.ingestTime = in.readLong();
        e.partition = in.readInt();
        e.offset = in.readLong();
        return e;
    }

    @Override
    public SensorEvent copy(SensorEvent e) {
        return new SensorEvent(
                e.entityId,
                e.eventTime,
                e.values == null ? null : e.values.clone(),
                e.ingestTime,
                e.partition,
                e.offset);
    }

    @Override
    public SensorEvent createInstance() {
        return new SensorEvent();
    }

    @Override
    public TypeSerializerSnapshot<SensorEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** See {@link FramedSerializer.Snapshot}. */
    public static final class Snapshot extends FramedSerializer.Snapshot<SensorEvent> {
        public Snapshot() {
            super(SensorEventSerializer::new);
        }
    }
}
