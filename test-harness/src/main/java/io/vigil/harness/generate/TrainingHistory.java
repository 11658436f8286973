package io.vigil.harness.generate;

import io.vigil.scoring.FeatureSpec;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generated readings as the trainer's history: one time-ordered, labelled series per entity. */
public final class TrainingHistory {

    private TrainingHistory() {}

    public static History of(SensorStreamGenerator generator) {
        Map<String, List<LabeledReading>> byEntity = new LinkedHashMap<>();
        for (LabeledReading r : generator) {
            byEntity.computeIfAbsent(r.entityId(), k -> new ArrayList<>()).add(r);
        }
        List<EntitySeries> series = new ArrayList<>();
        for (Map.Entry<String, List<LabeledReading>> e : byEntity.entrySet()) {
            List<LabeledReading> rows = e.getValue();
            long[] times = new long[rows.size()];
            double[][] values = new double[rows.size()][];
            boolean[] labels = new boolean[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                times[i] = rows.get(i).eventTime().toEpochMilli();
                values[i] = rows.get(i).values();
                labels[i] = rows.get(i).anomalous();
            }
            series.add(new EntitySeries(e.getKey(), times, values, labels, "generated"));
        }
        return new History(new FeatureSpec(generator.channels()), series, List.of("generated history"));
    }
}
