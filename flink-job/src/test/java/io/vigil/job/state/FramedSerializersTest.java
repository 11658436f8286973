package io.vigil.job.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.job.io.SensorEvent;
import io.vigil.scoring.KeyState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

class FramedSerializersTest {

    private final Random random = new Random(11);

    @Test
    void everyFieldOfAKeyStateSurvivesSerializationAndCopy() throws Exception {
        roundTripsEveryField(new KeyStateSerializer(), KeyState.class);
    }

    @Test
    void everyFieldOfASensorEventSurvivesSerializationAndCopy() throws Exception {
        roundTripsEveryField(new SensorEventSerializer(), SensorEvent.class);
    }

    @Test
    void aFreshKeyStateWithNullsAndDefaultsRoundTrips() throws Exception {
        KeyState s = new KeyState();
        KeyStateSerializer serializer = new KeyStateSerializer();
        assertFieldsEqual(KeyState.class, s, serializer.deserialize(new DataInputDeserializer(bytes(serializer, s))));
    }

    @Test
    void theJobsSensorEventStreamUsesItsOwnSerializer() {
        assertThat(TypeInformation.of(SensorEvent.class).createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(SensorEventSerializer.class);
    }

    @Test
    void aRestoredSerializerSnapshotIsCompatibleAndReadsTheState() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<KeyState> restored = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<KeyState> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isInstanceOf(KeyStateSerializer.class);
    }

    @Test
    void sensorEventStateThePojoSerializerWroteIsMigrated() throws Exception {
        migrates(SensorEvent.class);
    }

    @SuppressWarnings("unchecked")
    private <T> void migrates(Class<T> type) throws Exception {
        // the serializer Vigil used before (SensorEvent's @TypeInfo now hides it from TypeInformation.of)
        List<PojoField> fields = new ArrayList<>();
        for (Field f : publicFields(type)) {
            fields.add(new PojoField(f, TypeInformation.of(f.getType())));
        }
        TypeSerializer<T> pojo = new PojoTypeInfo<>(type, fields).createSerializer(new SerializerConfigImpl());
        assertThat(pojo.getClass().getSimpleName()).isEqualTo("PojoSerializer");
        T original = populated(type);
        byte[] old = bytes(pojo, original);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, pojo.snapshotConfiguration());
        TypeSerializerSnapshot<T> oldSnapshot = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializer<T> current = (TypeSerializer<T>) new SensorEventSerializer();
        assertThat(current.snapshotConfiguration()
                        .resolveSchemaCompatibility(oldSnapshot)
                        .isCompatibleAfterMigration())
                .as(type.getSimpleName())
                .isTrue();
        // what Flink then does: read with the restored old serializer, write with the new one
        T read = oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(old));
        T migrated = current.deserialize(new DataInputDeserializer(bytes(current, read)));
        assertFieldsEqual(type, original, migrated);
    }

    /**
     * A key state of format 3 (the Gaussian error statistics of earlier versions), written field by field
     * as that version wrote it: the key keeps its standardisation, window, LSTM state, latest reading and
     * open alert; what has no equivalent now (statistics, tail, the autoencoder's error) is dropped, and the
     * references start from the model's prior when the key is next scored.
     */
    @Test
    void aKeyStateOfFormat3ReadsIntoTheNewPartsAndDropsTheOldStatistics() throws Exception {
        DataOutputSerializer body = new DataOutputSerializer(256);
        body.writeByte(3); // the format
        writeString(body, "model-a");
        body.writeLong(77); // count
        writeDoubles(body, new double[] {1, 2}); // standardisation mean
        writeDoubles(body, new double[] {3, 4}); // and std
        body.writeInt(-1); // fixed
        writeFloats(body, new float[] {0.1f, 0.2f, 0.3f, 0.4f}); // window
        body.writeInt(1); // head
        writeFloats(body, new float[] {0.5f}); // h
        writeFloats(body, new float[] {0.6f}); // c
        writeFloats(body, new float[] {0.7f, 0.8f}); // next
        writeFloats(body, new float[] {1, 1, 1, 1}); // smoothed errors
        writeFloats(body, new float[] {2, 2, 2, 2}); // their means
        writeFloats(body, new float[] {3, 3, 3, 3}); // variances
        body.writeLong(40); // statistics updates
        for (int i = 0; i < 4; i++) {
            body.writeFloat(9); // the tail
        }
        body.writeLong(123_456L); // last event time
        writeString(body, "alert-1");
        body.writeLong(120_000L); // opened at
        body.writeFloat(0.42f); // peak score
        body.writeFloat(5.5f); // peak z
        body.writeInt(6); // alert events
        body.writeInt(2); // quiet events
        body.writeInt(0); // hot events
        body.writeLong(0); // hot since
        body.writeLong(Long.MIN_VALUE); // cool-down until
        writeDoubles(body, new double[] {10, 20}); // previous reading
        body.writeFloat(0.9f); // the autoencoder's error
        byte[] content = body.getCopyOfBuffer();
        DataOutputSerializer framed = new DataOutputSerializer(content.length + 4);
        framed.writeInt(content.length);
        framed.write(content);

        KeyState s = new KeyStateSerializer().deserialize(new DataInputDeserializer(framed.getCopyOfBuffer()));

        assertThat(s.model).isEqualTo("model-a");
        assertThat(s.count).isEqualTo(77);
        assertThat(s.lastEventTime).isEqualTo(123_456L);
        assertThat(s.standardisation.mean).containsExactly(1, 2);
        assertThat(s.standardisation.std).containsExactly(3, 4);
        assertThat(s.standardisation.samples).isEqualTo(-1);
        assertThat(s.memory.window).containsExactly(0.1f, 0.2f, 0.3f, 0.4f);
        assertThat(s.memory.head).isEqualTo(1);
        assertThat(s.memory.h).containsExactly(0.5f);
        assertThat(s.memory.c).containsExactly(0.6f);
        assertThat(s.memory.next).containsExactly(0.7f, 0.8f);
        assertThat(s.memory.previous).containsExactly(10, 20);
        assertThat(s.memory.aeRatios).isNull();
        assertThat(s.references.adaptive).isNull();
        assertThat(s.episode.alertId).isEqualTo("alert-1");
        assertThat(s.episode.openedAt).isEqualTo(120_000L);
        assertThat(s.episode.peakScore).isEqualTo(0.42f);
        assertThat(s.episode.anomalousEvents).isEqualTo(6);
        assertThat(s.episode.quietEvents).isEqualTo(2);
        assertThat(s.episode.cooldownUntil).isEqualTo(Long.MIN_VALUE);
    }

    private static void writeString(DataOutputSerializer out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeDoubles(DataOutputSerializer out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static void writeFloats(DataOutputSerializer out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    @Test
    void aReferenceHistogramIsWrittenAsItsOccupiedRunOnly() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        KeyState s = new KeyState();
        s.references.adaptive = new float[io.vigil.scoring.Reference.SIZE];
        s.references.normal = new float[io.vigil.scoring.Reference.SIZE];
        for (int i = 10; i < 15; i++) {
            s.references.adaptive[i] = i + 0.5f;
        }
        s.references.normal[0] = 3f;
        s.references.normal[io.vigil.scoring.Reference.SIZE - 1] = 4f;
        byte[] written = bytes(serializer, s);
        KeyState read = serializer.deserialize(new DataInputDeserializer(written));
        assertThat(read.references.adaptive).containsExactly(s.references.adaptive);
        assertThat(read.references.normal).containsExactly(s.references.normal);
        KeyState empty = new KeyState();
        empty.references.adaptive = new float[io.vigil.scoring.Reference.SIZE];
        empty.references.normal = new float[io.vigil.scoring.Reference.SIZE];
        // 5 floats and 3 ints for the first, all 42 floats for the second; the empty ones 3 ints each
        assertThat(written.length - bytes(serializer, empty).length).isEqualTo(4 * (5 + 42 - 0) + 4 * 0);
    }

    @Test
    void aCorruptOrNewerRecordIsRefusedWithAReason() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        byte[] good = bytes(serializer, populated(KeyState.class));
        byte[] newer = good.clone();
        newer[4] = 9; // the format byte, after the length
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(newer)))
                .hasMessageContaining("record format 9")
                .hasMessageContaining("newer Vigil");
        byte[] zero = new byte[8];
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(zero)))
                .hasMessageContaining("0 bytes")
                .hasMessageContaining("corrupt");
    }

    /** Every public field set to a value unlike its default; a field the serializer misses fails here. */
    private <T> void roundTripsEveryField(TypeSerializer<T> serializer, Class<T> type) throws Exception {
        T original = populated(type);
        // into a byte array (network, RocksDB) and through a stream (heap checkpoints), twice in a row
        T viaBuffer = serializer.deserialize(new DataInputDeserializer(bytes(serializer, original)));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        DataOutputViewStreamWrapper view = new DataOutputViewStreamWrapper(stream);
        serializer.serialize(original, view);
        serializer.serialize(viaBuffer, view);
        DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(new ByteArrayInputStream(stream.toByteArray()));
        T first = serializer.duplicate().deserialize(in);
        T second = serializer.deserialize(in);
        // copied as bytes (Flink's record copy) and as an object (copy-on-write snapshots)
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(bytes(serializer, original)), copied);
        T viaByteCopy = serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
        T objectCopy = serializer.copy(original);
        for (T got : List.of(viaBuffer, first, second, viaByteCopy, objectCopy)) {
            assertFieldsEqual(type, original, got);
        }
        // a deep copy: the copy shares no array (or part) with the original
        assertDeepCopy(original, objectCopy);
    }

    private static void assertDeepCopy(Object original, Object copy) throws Exception {
        for (Field f : publicFields(original.getClass())) {
            Object v = f.get(copy);
            if (isPart(f.getType())) {
                assertThat(v).isNotSameAs(f.get(original));
                assertDeepCopy(f.get(original), v);
            } else if (v instanceof float[] || v instanceof double[]) {
                assertThat(v).isNotSameAs(f.get(original));
            }
        }
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private <T> T populated(Class<T> type) throws Exception {
        T value = type.getConstructor().newInstance();
        populate(value);
        return value;
    }

    /** Sets every public field, and every field of the public parts (KeyState's), to a non-default value. */
    private void populate(Object value) throws Exception {
        for (Field f : publicFields(value.getClass())) {
            Class<?> t = f.getType();
            if (isPart(t)) {
                populate(f.get(value));
                continue;
            }
            if (t == String.class) {
                f.set(value, "k-" + random.nextInt(1000) + "-é");
            } else if (t == long.class) {
                f.setLong(value, random.nextLong());
            } else if (t == int.class) {
                f.setInt(value, random.nextInt());
            } else if (t == float.class) {
                f.setFloat(value, random.nextFloat() + 0.5f);
            } else if (t == double.class) {
                f.setDouble(value, random.nextDouble() + 0.5);
            } else if (t == float[].class) {
                float[] a = new float[3 + random.nextInt(20)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextGaussian();
                }
                f.set(value, a);
            } else if (t == double[].class) {
                double[] a = new double[3 + random.nextInt(20)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextGaussian();
                }
                f.set(value, a);
            } else {
                throw new AssertionError("no test value for " + f + "; add one");
            }
        }
    }

    /** A part of a key state: one of KeyState's nested classes, held in a final field. */
    private static boolean isPart(Class<?> t) {
        return t.getEnclosingClass() == KeyState.class;
    }

    private static <T> void assertFieldsEqual(Class<T> type, T expected, T actual) throws Exception {
        for (Field f : publicFields(type)) {
            if (isPart(f.getType())) {
                assertPartEqual(f.getName(), f.get(expected), f.get(actual));
            } else {
                assertThat(f.get(actual)).as(f.getName()).isEqualTo(f.get(expected));
            }
        }
    }

    private static void assertPartEqual(String part, Object expected, Object actual) throws Exception {
        for (Field f : publicFields(expected.getClass())) {
            assertThat(f.get(actual)).as(part + "." + f.getName()).isEqualTo(f.get(expected));
        }
    }

    private static List<Field> publicFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        assertThat(fields).as("public fields of %s", type.getSimpleName()).isNotEmpty();
        return fields;
    }
}
