package io.vigil.trainer.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects one entity's rows as they are read (from one or more files) and sorts them by time, or not. */
final class SeriesBuilder {

    private final String entity;
    private final Set<String> sources = new LinkedHashSet<>();
    private long[] timestamps = new long[256];
    private final List<double[]> rows = new ArrayList<>();
    private final List<Boolean> labels = new ArrayList<>();
    private boolean anyLabel;
    private boolean anyUnlabelled;

    SeriesBuilder(String entity) {
        this.entity = entity;
    }

    void add(long timestamp, double[] row, Boolean label, String source) {
        int n = rows.size();
        if (n == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, n * 2);
        }
        timestamps[n] = timestamp;
        rows.add(row);
        labels.add(label);
        anyLabel |= label != null;
        anyUnlabelled |= label == null;
        sources.add(source);
    }

    int size() {
        return rows.size();
    }

    EntitySeries build(boolean sortByTime) {
        int n = rows.size();
        if (anyLabel && anyUnlabelled) {
            throw new HistoryException("Entity " + entity + " has labelled and unlabelled rows (from " + sources
                    + "); give every file of an entity a label column, or read none with --label-column none");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (sortByTime) {
            Arrays.sort(order, Comparator.comparingLong(i -> timestamps[i])); // stable: equal times keep file order
        }
        long[] ts = new long[n];
        double[][] values = new double[n][];
        boolean[] lab = anyLabel ? new boolean[n] : null;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            ts[k] = timestamps[i];
            values[k] = rows.get(i);
            if (lab != null) {
                lab[k] = labels.get(i);
            }
        }
        return sortByTime
                ? new EntitySeries(entity, ts, values, lab, String.join(", ", sources))
                : EntitySeries.inFileOrder(entity, ts, values, lab, String.join(", ", sources));
    }
}
