package io.vigil.job.state;

import io.vigil.scoring.KeyState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * {@link KeyState} in keyed state, part by part. Format 4 (this code): the key, its standardisation,
 * the networks' memory, the references of its evidence and its alert episode. Formats 1 to 3 (the
 * Gaussian error statistics of earlier versions) are read too: the key keeps its standardisation, its
 * window and LSTM state, its open alert and its latest reading; its references start from the model's
 * prior, since the old statistics have no equivalent. A field added to {@code KeyState} must be added
 * here, with a new format number; {@code FramedSerializersTest} fails until it is.
 */
public final class KeyStateSerializer extends FramedSerializer<KeyState> {

    private static final long serialVersionUID = 1L;

    @Override
    protected int format() {
        return 4;
    }

    @Override
    protected void write(KeyState s, DataOutputSerializer t) throws IOException {
        writeString(s.model, t);
        t.writeLong(s.count);
        t.writeLong(s.lastEventTime);
        KeyState.Standardisation std = s.standardisation;
        writeDoubles(std.mean, t);
        writeDoubles(std.std, t);
        t.writeInt(std.samples);
        KeyState.Memory m = s.memory;
        writeFloats(m.window, t);
        t.writeInt(m.head);
        writeFloats(m.h, t);
        writeFloats(m.c, t);
        writeFloats(m.next, t);
        writeDoubles(m.previous, t);
        writeFloats(m.aeRatios, t);
        KeyState.References r = s.references;
        writeHistogram(r.adaptive, t);
        writeHistogram(r.normal, t);
        writeFloats(r.smoothed, t);
        writeFloats(r.calm, t);
        KeyState.Episode e = s.episode;
        writeString(e.alertId, t);
        t.writeLong(e.openedAt);
        t.writeFloat(e.peakScore);
        t.writeFloat(e.peakSurprise);
        t.writeInt(e.anomalousEvents);
        t.writeInt(e.openEvents);
        t.writeInt(e.quietEvents);
        t.writeFloat(e.evidence);
        t.writeLong(e.evidenceSince);
        t.writeLong(e.cooldownUntil);
    }

    @Override
    protected KeyState read(int format, DataInputDeserializer in) throws IOException {
        if (format < 4) {
            return readBefore4(format, in);
        }
        KeyState s = new KeyState();
        s.model = readString(in);
        s.count = in.readLong();
        s.lastEventTime = in.readLong();
        KeyState.Standardisation std = s.standardisation;
        std.mean = readDoubles(in);
        std.std = readDoubles(in);
        std.samples = in.readInt();
        KeyState.Memory m = s.memory;
        m.window = readFloats(in);
        m.head = in.readInt();
        m.h = readFloats(in);
        m.c = readFloats(in);
        m.next = readFloats(in);
        m.previous = readDoubles(in);
        m.aeRatios = readFloats(in);
        KeyState.References r = s.references;
        r.adaptive = readHistogram(in);
        r.normal = readHistogram(in);
        r.smoothed = readFloats(in);
        r.calm = readFloats(in);
        KeyState.Episode e = s.episode;
        e.alertId = readString(in);
        e.openedAt = in.readLong();
        e.peakScore = in.readFloat();
        e.peakSurprise = in.readFloat();
        e.anomalousEvents = in.readInt();
        e.openEvents = in.readInt();
        e.quietEvents = in.readInt();
        e.evidence = in.readFloat();
        e.evidenceSince = in.readLong();
        e.cooldownUntil = in.readLong();
        return s;
    }

    /**
     * A reference histogram: its length, then only the run of bins from the first to the last that hold
     * mass (a key's evidence fills a third of the range or so; the rest is zeros). Null as length -1.
     */
    private static void writeHistogram(float[] h, DataOutputSerializer t) throws IOException {
        if (h == null) {
            t.writeInt(-1);
            return;
        }
        int first = 0;
        while (first < h.length && h[first] == 0f) {
            first++;
        }
        int last = h.length - 1;
        while (last >= first && h[last] == 0f) {
            last--;
        }
        t.writeInt(h.length);
        t.writeInt(first);
        t.writeInt(last - first + 1);
        for (int i = first; i <= last; i++) {
            t.writeFloat(h[i]);
        }
    }

    private static float[] readHistogram(DataInputDeserializer in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        float[] h = new float[length];
        int first = in.readInt();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            h[first + i] = in.readFloat();
        }
        return h;
    }

    /** Formats 1-3, field by field as they were written; what has no equivalent now is read and dropped. */
    private static KeyState readBefore4(int format, DataInputDeserializer in) throws IOException {
        KeyState s = new KeyState();
        s.model = readString(in);
        s.count = in.readLong();
        s.standardisation.mean = readDoubles(in);
        s.standardisation.std = readDoubles(in);
        s.standardisation.samples = in.readInt();
        s.memory.window = readFloats(in);
        s.memory.head = in.readInt();
        s.memory.h = readFloats(in);
        s.memory.c = readFloats(in);
        s.memory.next = readFloats(in);
        readFloats(in); // smoothed errors
        readFloats(in); // their means
        readFloats(in); // and variances
        in.readLong(); // statistics updates
        in.skipBytesToRead(4 * Float.BYTES); // the peaks-over-threshold tail: count, peaks, mean, mean square
        s.lastEventTime = in.readLong();
        KeyState.Episode e = s.episode;
        e.alertId = readString(in);
        e.openedAt = in.readLong();
        e.peakScore = in.readFloat();
        in.readFloat(); // peak z
        e.anomalousEvents = in.readInt();
        e.quietEvents = in.readInt();
        in.readInt(); // consecutive hot events
        in.readLong(); // since
        e.cooldownUntil = in.readLong();
        s.memory.previous = format >= 2 ? readDoubles(in) : null;
        if (format >= 3) {
            in.readFloat(); // the autoencoder's latest error: re-measured at the key's next reconstruction
        }
        return s;
    }

    @Override
    public KeyState copy(KeyState s) {
        KeyState r = new KeyState();
        r.model = s.model;
        r.count = s.count;
        r.lastEventTime = s.lastEventTime;
        r.standardisation.mean = clone(s.standardisation.mean);
        r.standardisation.std = clone(s.standardisation.std);
        r.standardisation.samples = s.standardisation.samples;
        r.memory.window = clone(s.memory.window);
        r.memory.head = s.memory.head;
        r.memory.h = clone(s.memory.h);
        r.memory.c = clone(s.memory.c);
        r.memory.next = clone(s.memory.next);
        r.memory.previous = clone(s.memory.previous);
        r.memory.aeRatios = clone(s.memory.aeRatios);
        r.references.adaptive = clone(s.references.adaptive);
        r.references.normal = clone(s.references.normal);
        r.references.smoothed = clone(s.references.smoothed);
        r.references.calm = clone(s.references.calm);
        KeyState.Episode e = s.episode;
        KeyState.Episode f = r.episode;
        f.alertId = e.alertId;
        f.openedAt = e.openedAt;
        f.peakScore = e.peakScore;
        f.peakSurprise = e.peakSurprise;
        f.anomalousEvents = e.anomalousEvents;
        f.openEvents = e.openEvents;
        f.quietEvents = e.quietEvents;
        f.evidence = e.evidence;
        f.evidenceSince = e.evidenceSince;
        f.cooldownUntil = e.cooldownUntil;
        return r;
    }

    private static float[] clone(float[] a) {
        return a == null ? null : a.clone();
    }

    private static double[] clone(double[] a) {
        return a == null ? null : a.clone();
    }

    @Override
    public KeyState createInstance() {
        return new KeyState();
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
