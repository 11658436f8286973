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
        TypeSerializerSchemaCompatibility<KeyState> compatibility = serializer.snapshotConfiguration()
                .resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isInstanceOf(KeyStateSerializer.class);
    }

    @Test
    void stateThePojoSerializerWroteIsMigrated() throws Exception {
        for (Class<?> type : List.of(KeyState.class, SensorEvent.class)) {
            migrates(type);
        }
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

        TypeSerializer<T> current = (TypeSerializer<T>) (type == KeyState.class ? new KeyStateSerializer()
                : new SensorEventSerializer());
        assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot).isCompatibleAfterMigration())
                .as(type.getSimpleName()).isTrue();
        // what Flink then does: read with the restored old serializer, write with the new one
        T read = oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(old));
        T migrated = current.deserialize(new DataInputDeserializer(bytes(current, read)));
        assertFieldsEqual(type, original, migrated);
    }

    @Test
    void aKeyStateOfFormat1WrittenBeforeDifferencingReadsWithNoPreviousReading() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        KeyState s = populated(KeyState.class);
        s.prev = null;
        s.aeError = 0f;
        // format 3: format 1's fields, then prev (length -1 for null), then aeError
        KeyState read = serializer.deserialize(new DataInputDeserializer(olderFormat(bytes(serializer, s), 8, 1)));
        assertFieldsEqual(KeyState.class, s, read);
        assertThat(read.prev).isNull();
    }

    @Test
    void aKeyStateOfFormat2WrittenBeforeTheAutoencoderHopReadsWithNoReconstructionError() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        KeyState s = populated(KeyState.class);
        byte[] format2 = olderFormat(bytes(serializer, s), 4, 2); // without the trailing aeError
        KeyState read = serializer.deserialize(new DataInputDeserializer(format2));
        assertThat(read.aeError).isZero(); // until the key's next reconstruction
        read.aeError = s.aeError;
        assertFieldsEqual(KeyState.class, s, read);
    }

    /** A record of the current format cut by its last {@code dropped} bytes and relabelled {@code format}. */
    private static byte[] olderFormat(byte[] current, int dropped, int format) {
        java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(current.length - dropped);
        old.putInt(current.length - 4 - dropped).put(current, 4, current.length - 4 - dropped);
        byte[] bytes = old.array();
        bytes[4] = (byte) format;
        return bytes;
    }

    @Test
    void aCorruptOrNewerRecordIsRefusedWithAReason() throws Exception {
        KeyStateSerializer serializer = new KeyStateSerializer();
        byte[] good = bytes(serializer, populated(KeyState.class));
        byte[] newer = good.clone();
        newer[4] = 9; // the format byte, after the length
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(newer)))
                .hasMessageContaining("record format 9").hasMessageContaining("newer Vigil");
        byte[] zero = new byte[8];
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(zero)))
                .hasMessageContaining("0 bytes").hasMessageContaining("corrupt");
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
        // a deep copy: changing the copy's arrays leaves the original as it was
        for (Field f : publicFields(type)) {
            Object v = f.get(objectCopy);
            if (v instanceof float[] a) {
                assertThat(a).isNotSameAs(f.get(original));
            } else if (v instanceof double[] a) {
                assertThat(a).isNotSameAs(f.get(original));
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
        for (Field f : publicFields(type)) {
            Class<?> t = f.getType();
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
        return value;
    }

    private static <T> void assertFieldsEqual(Class<T> type, T expected, T actual) throws Exception {
        for (Field f : publicFields(type)) {
            assertThat(f.get(actual)).as(f.getName()).isEqualTo(f.get(expected));
        }
    }

    private static List<Field> publicFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        assertThat(fields).hasSizeGreaterThan(5);
        return fields;
    }
}
