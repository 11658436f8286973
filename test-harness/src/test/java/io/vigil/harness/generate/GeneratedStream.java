package io.vigil.harness.generate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A generated stream held in memory, sliced per entity and channel for the generator's tests. */
final class GeneratedStream {

    final SensorStreamGenerator generator;
    final List<LabeledReading> readings;
    private final Map<String, List<LabeledReading>> byEntity = new HashMap<>();

    GeneratedStream(GeneratorConfig config) {
        this.generator = new SensorStreamGenerator(config);
        this.readings = generator.readings();
        for (String id : generator.entityIds()) {
            byEntity.put(
                    id, readings.stream().filter(r -> r.entityId().equals(id)).toList());
        }
    }

    List<LabeledReading> of(String entity) {
        return byEntity.get(entity);
    }

    int channel(String name) {
        return generator.channels().indexOf(name);
    }

    /** Channel {@code c} of {@code entity} for event indices [from, to] (inclusive). */
    double[] series(String entity, int c, int from, int to) {
        List<LabeledReading> rs = of(entity);
        double[] out = new double[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = rs.get(i).value(c);
        }
        return out;
    }

    /** Channel {@code c} of {@code entity}, whole stream. */
    double[] series(String entity, int c) {
        return series(entity, c, 0, of(entity).size() - 1);
    }

    /** Event index of a window's first event in its entity's stream. */
    int firstIndex(AnomalyWindow w) {
        List<LabeledReading> rs = of(w.entityId());
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).eventTime().equals(w.startTime())) {
                return i;
            }
        }
        throw new AssertionError("window " + w.id() + " starts at no event of " + w.entityId());
    }

    int lastIndex(AnomalyWindow w) {
        return firstIndex(w)
                + (int) ((w.endTime().toEpochMilli() - w.startTime().toEpochMilli())
                        / generator.config().intervalMillis());
    }

    EntityProfile profile(String entity) {
        return generator.profiles().get(generator.entityIds().indexOf(entity));
    }
}
