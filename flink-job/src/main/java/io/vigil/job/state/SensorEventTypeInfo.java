package io.vigil.job.state;

import io.vigil.job.io.SensorEvent;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink's type information for {@link SensorEvent}: its {@link SensorEventSerializer}, not the POJO one. */
public final class SensorEventTypeInfo {

    private SensorEventTypeInfo() {}

    /** Named by {@code @TypeInfo} on {@link SensorEvent}. */
    public static final class Factory extends TypeInfoFactory<SensorEvent> {
        @Override
        public TypeInformation<SensorEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new FramedTypeInfo<>(SensorEvent.class, SensorEventSerializer::new);
        }
    }
}
