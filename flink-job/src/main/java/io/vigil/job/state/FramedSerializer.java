package io.vigil.job.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A serializer that writes each record as one length-prefixed block: {@code int length, byte format,
 * fields}. The fields are written into a scratch array and handed to the target in one call, because
 * the targets that matter call through several streams per byte: Flink's POJO serializer wrote a 1.9 KB
 * key state as about two thousand single-byte writes (plus a reflective field access per field), which
 * made the heap backend's checkpoint thread a fifth as busy as the scoring thread.
 *
 * <p>The format byte lets a later version read records an earlier one wrote: a new field is appended,
 * the format number raised, and {@link #read} fills the field's default for older records. A serializer
 * instance holds scratch buffers, so {@link #duplicate()} makes a new one (Flink duplicates per thread).
 */
public abstract class FramedSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    private transient DataOutputSerializer out;
    private transient DataInputDeserializer in;
    private transient byte[] block;

    /**
     * The format this serializer writes; {@link #read} accepts it and every earlier one. Format 1 until a
     * field is added to the record.
     */
    protected int format() {
        return 1;
    }

    /** Writes the fields of a non-null record. */
    protected abstract void write(T record, DataOutputSerializer target) throws IOException;

    /** Reads the fields of a record written in {@code format}. */
    protected abstract T read(int format, DataInputDeserializer source) throws IOException;

    @Override
    public final void serialize(T record, DataOutputView target) throws IOException {
        if (out == null) {
            out = new DataOutputSerializer(256);
        }
        out.clear();
        out.writeByte(format());
        write(record, out);
        target.writeInt(out.length());
        target.write(out.getSharedBuffer(), 0, out.length());
    }

    @Override
    public final T deserialize(DataInputView source) throws IOException {
        int length = source.readInt();
        if (length <= 0) {
            throw new IOException(getClass().getSimpleName() + ": a record of " + length + " bytes; the state or"
                    + " stream is corrupt");
        }
        source.readFully(scratch(length), 0, length);
        if (in == null) {
            in = new DataInputDeserializer();
        }
        in.setBuffer(block, 0, length);
        int format = in.readUnsignedByte();
        if (format < 1 || format > format()) {
            throw new IOException(getClass().getSimpleName() + ": record format " + format + ", this version reads 1.."
                    + format() + "; it was written by a newer Vigil");
        }
        return read(format, in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        byte[] b = scratch(length);
        source.readFully(b, 0, length);
        target.writeInt(length);
        target.write(b, 0, length); // not write(source, length): a DataOutputSerializer does not grow for that
    }

    private byte[] scratch(int length) {
        if (block == null || block.length < length) {
            block = new byte[Math.max(length, 256)];
        }
        return block;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    /**
     * A deep copy made by writing the record and reading it back: for records of many fixed arrays, where
     * a field-by-field copy would repeat the serializer's field list. {@code size} is the scratch buffer's
     * starting size.
     */
    protected final T copyThroughBytes(T record, int size) {
        try {
            DataOutputSerializer bytes = new DataOutputSerializer(size);
            write(record, bytes);
            return read(format(), new DataInputDeserializer(bytes.getSharedBuffer(), 0, bytes.length()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The serializer the snapshot restores: a new instance, with scratch buffers of its own. */
    @Override
    public TypeSerializer<T> duplicate() {
        return snapshotConfiguration().restoreSerializer();
    }

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    /**
     * The serializer's snapshot in checkpoints. Every format it has written stays readable, so it is
     * compatible as it is with itself; state that Flink's POJO serializer wrote (Vigil before these
     * serializers) is migrated: Flink reads it with the POJO serializer restored from the savepoint and
     * writes it with this one.
     */
    public abstract static class Snapshot<T> extends SimpleTypeSerializerSnapshot<T> {
        protected Snapshot(Supplier<? extends TypeSerializer<T>> serializer) {
            super(serializer);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    // --- field helpers: null-safe strings and arrays, length -1 for null (also for serializers outside this package)
    // ---

    public static void writeString(String s, DataOutputSerializer target) throws IOException {
        if (s == null) {
            target.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        target.writeInt(b.length);
        target.write(b);
    }

    public static String readString(DataInputDeserializer source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        source.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeFloats(float[] a, DataOutputSerializer target) throws IOException {
        target.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (float v : a) {
                target.writeFloat(v);
            }
        }
    }

    public static float[] readFloats(DataInputDeserializer source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            return null;
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = source.readFloat();
        }
        return a;
    }

    public static void writeDoubles(double[] a, DataOutputSerializer target) throws IOException {
        target.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            for (double v : a) {
                target.writeDouble(v);
            }
        }
    }

    public static double[] readDoubles(DataInputDeserializer source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            return null;
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = source.readDouble();
        }
        return a;
    }

    public static void writeBytes(byte[] a, DataOutputSerializer target) throws IOException {
        target.writeInt(a == null ? -1 : a.length);
        if (a != null) {
            target.write(a);
        }
    }

    public static byte[] readBytes(DataInputDeserializer source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            return null;
        }
        byte[] a = new byte[n];
        source.readFully(a);
        return a;
    }
}
