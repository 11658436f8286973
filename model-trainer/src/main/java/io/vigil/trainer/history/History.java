package io.vigil.trainer.history;

import io.vigil.scoring.FeatureSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * History to train or evaluate on: the feature names and one time-ordered series per entity, and what
 * kind of stream it is ({@link #SENSOR} readings, or {@link #TRANSACTION} feature vectors of accounts).
 */
public final class History {

    /** A bundle's {@code streamKind} for sensor readings. */
    public static final String SENSOR = "SENSOR";
    /** A bundle's {@code streamKind} for transactions scored per account. */
    public static final String TRANSACTION = "TRANSACTION";

    private final FeatureSpec features;
    private final List<EntitySeries> series;
    private final List<String> sources;
    private final String streamKind;

    /** Sensor history. */
    public History(FeatureSpec features, List<EntitySeries> series, List<String> sources) {
        this(features, series, sources, SENSOR);
    }

    /** History of a stream of {@code streamKind} ({@link #SENSOR} or {@link #TRANSACTION}). */
    public History(FeatureSpec features, List<EntitySeries> series, List<String> sources, String streamKind) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("A history needs at least one entity; " + sources + " gave none");
        }
        Set<String> seen = new HashSet<>();
        for (EntitySeries s : series) {
            if (!seen.add(s.entity())) {
                throw new IllegalArgumentException("Entity " + s.entity() + " appears twice in the history");
            }
            for (double[] row : s.values()) {
                if (row.length != features.size()) {
                    throw new IllegalArgumentException("Entity " + s.entity() + " has a row of " + row.length
                            + " values but there are " + features.size() + " features " + features);
                }
            }
        }
        this.features = features;
        this.series = List.copyOf(series);
        this.sources = List.copyOf(sources);
        this.streamKind = streamKind;
    }

    /** {@link #SENSOR} or {@link #TRANSACTION}: what the bundle trained on it says it scores. */
    public String streamKind() {
        return streamKind;
    }

    public FeatureSpec features() {
        return features;
    }

    /** One series per entity, ordered by entity id. */
    public List<EntitySeries> series() {
        return series;
    }

    public Optional<EntitySeries> series(String entity) {
        return series.stream().filter(s -> s.entity().equals(entity)).findFirst();
    }

    /** The files the history was read from. */
    public List<String> sources() {
        return sources;
    }

    public int rows() {
        return series.stream().mapToInt(EntitySeries::size).sum();
    }

    public int entities() {
        return series.size();
    }

    /** True when every series carries labels. */
    public boolean labelled() {
        return series.stream().allMatch(EntitySeries::labelled);
    }

    /** Rows labelled anomalous, over all entities. */
    public int anomalies() {
        return series.stream().mapToInt(EntitySeries::anomalies).sum();
    }

    /** The entities that carry no labels (for messages when labels are required). */
    public List<String> unlabelledEntities() {
        List<String> out = new ArrayList<>();
        series.stream().filter(s -> !s.labelled()).forEach(s -> out.add(s.entity() + " (" + s.source() + ")"));
        return out;
    }
}
