package io.vigil.job.state;

import io.vigil.job.io.SensorEvent;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for {@link SensorEvent}: its {@link SensorEventSerializer}, not the POJO one. */
public final class SensorEventTypeInfo extends TypeInformation<SensorEvent> {

    private static final long serialVersionUID = 1L;

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
    public Class<SensorEvent> getTypeClass() {
        return SensorEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SensorEvent> createSerializer(SerializerConfig config) {
        return new SensorEventSerializer();
    }

    @Override
    public String toString() {
        return "SensorEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return SensorEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SensorEventTypeInfo;
    }

    /** Named by {@code @TypeInfo} on {@link SensorEvent}. */
    public static final class Factory extends TypeInfoFactory<SensorEvent> {
        @Override
        public TypeInformation<SensorEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SensorEventTypeInfo();
        }
    }
}
