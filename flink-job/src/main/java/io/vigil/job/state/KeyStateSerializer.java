package io.vigil.job.state;

import io.vigil.scoring.KeyState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * {@link KeyState} in keyed state, field by field in declaration order. Format 1: every field up to
 * {@code cooldownUntil}; format 2 adds {@code prev}; format 3 {@code aeError}. A field added to {@code KeyState} must be added
 * here, with a new format number; {@code FramedSerializersTest} fails until it is.
 */
public final class KeyStateSerializer extends FramedSerializer<KeyState> {

    private static final long serialVersionUID = 1L;

    @Override
    protected int format() {
        return 3;
    }

    @Override
    protected void write(KeyState s, DataOutputSerializer t) throws IOException {
        writeString(s.model, t);
        t.writeLong(s.count);
        writeDoubles(s.nmean, t);
        writeDoubles(s.nstd, t);
        t.writeInt(s.nsamples);
        writeFloats(s.window, t);
        t.writeInt(s.head);
        writeFloats(s.h, t);
        writeFloats(s.c, t);
        writeFloats(s.next, t);
        writeFloats(s.esmooth, t);
        writeFloats(s.emean, t);
        writeFloats(s.evar, t);
        t.writeLong(s.statsCount);
        t.writeFloat(s.potCount);
        t.writeFloat(s.potPeaks);
        t.writeFloat(s.potMean);
        t.writeFloat(s.potSq);
        t.writeLong(s.lastEventTime);
        writeString(s.alertId, t);
        t.writeLong(s.alertOpenedAt);
        t.writeFloat(s.alertPeak);
        t.writeFloat(s.alertPeakZ);
        t.writeInt(s.alertEvents);
        t.writeInt(s.quietEvents);
        t.writeInt(s.hotEvents);
        t.writeLong(s.hotSince);
        t.writeLong(s.cooldownUntil);
        writeDoubles(s.prev, t);
        t.writeFloat(s.aeError);
    }

    @Override
    protected KeyState read(int format, DataInputDeserializer in) throws IOException {
        KeyState s = new KeyState();
        s.model = readString(in);
        s.count = in.readLong();
        s.nmean = readDoubles(in);
        s.nstd = readDoubles(in);
        s.nsamples = in.readInt();
        s.window = readFloats(in);
        s.head = in.readInt();
        s.h = readFloats(in);
        s.c = readFloats(in);
        s.next = readFloats(in);
        s.esmooth = readFloats(in);
        s.emean = readFloats(in);
        s.evar = readFloats(in);
        s.statsCount = in.readLong();
        s.potCount = in.readFloat();
        s.potPeaks = in.readFloat();
        s.potMean = in.readFloat();
        s.potSq = in.readFloat();
        s.lastEventTime = in.readLong();
        s.alertId = readString(in);
        s.alertOpenedAt = in.readLong();
        s.alertPeak = in.readFloat();
        s.alertPeakZ = in.readFloat();
        s.alertEvents = in.readInt();
        s.quietEvents = in.readInt();
        s.hotEvents = in.readInt();
        s.hotSince = in.readLong();
        s.cooldownUntil = in.readLong();
        s.prev = format >= 2 ? readDoubles(in) : null;
        s.aeError = format >= 3 ? in.readFloat() : 0f; // until the key's next reconstruction
        return s;
    }

    @Override
    public KeyState copy(KeyState s) {
        KeyState r = new KeyState();
        r.model = s.model;
        r.count = s.count;
        r.nmean = s.nmean == null ? null : s.nmean.clone();
        r.nstd = s.nstd == null ? null : s.nstd.clone();
        r.nsamples = s.nsamples;
        r.window = s.window == null ? null : s.window.clone();
        r.head = s.head;
        r.h = s.h == null ? null : s.h.clone();
        r.c = s.c == null ? null : s.c.clone();
        r.next = s.next == null ? null : s.next.clone();
        r.esmooth = s.esmooth == null ? null : s.esmooth.clone();
        r.emean = s.emean == null ? null : s.emean.clone();
        r.evar = s.evar == null ? null : s.evar.clone();
        r.statsCount = s.statsCount;
        r.potCount = s.potCount;
        r.potPeaks = s.potPeaks;
        r.potMean = s.potMean;
        r.potSq = s.potSq;
        r.lastEventTime = s.lastEventTime;
        r.alertId = s.alertId;
        r.alertOpenedAt = s.alertOpenedAt;
        r.alertPeak = s.alertPeak;
        r.alertPeakZ = s.alertPeakZ;
        r.alertEvents = s.alertEvents;
        r.quietEvents = s.quietEvents;
        r.hotEvents = s.hotEvents;
        r.hotSince = s.hotSince;
        r.cooldownUntil = s.cooldownUntil;
        r.prev = s.prev == null ? null : s.prev.clone();
        r.aeError = s.aeError;
        return r;
    }

    @Override
    public KeyState createInstance() {
        return new KeyState();
    }

    @Override
    public TypeSerializer<KeyState> duplicate() {
        return new KeyStateSerializer();
    }

    @Override
    public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** See {@link FramedSerializer.Snapshot}. */
    public static final class Snapshot extends FramedSerializer.Snapshot<KeyState> {
        public Snapshot() {
            super(KeyStateSerializer::new);
        }
    }
}
