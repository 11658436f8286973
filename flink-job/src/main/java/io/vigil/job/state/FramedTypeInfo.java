package io.vigil.job.state;

import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a type written by one of Vigil's {@link FramedSerializer}s: what a stream
 * of it is declared with ({@code returns(...)}, {@code transform(..., typeInfo, ...)}), so Flink never
 * falls back to its POJO or Kryo serializers for it.
 */
public final class FramedTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final SerializerFactory<T> serializer;

    /** Makes a new serializer (serializers hold scratch buffers: one per use). */
    @FunctionalInterface
    public interface SerializerFactory<T> extends Supplier<TypeSerializer<T>>, java.io.Serializable {}

    public FramedTypeInfo(Class<T> type, SerializerFactory<T> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.get();
    }

    @Override
    public String toString() {
        return type.getSimpleName() + " (" + serializer.get().getClass().getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FramedTypeInfo<?> other
                && other.type == type
                && other.serializer.get().getClass() == serializer.get().getClass();
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof FramedTypeInfo;
    }
}
