package io.vigil.trainer.training;

import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One entity's split by time: the first {@code 1 - validationFraction} of its rows train, the rest
 * validate. Within each part, labelled anomalous rows are dropped by cutting the part into runs of
 * consecutive normal rows, so no training example bridges the gap an anomaly leaves.
 *
 * @param split index of the first validation row
 */
public record Partition(EntitySeries series, int split, List<Segment> trainNormal, List<Segment> validationNormal) {

    /** Rows {@code [from, to)} of one series. */
    public record Segment(EntitySeries series, int from, int to) {

        public int rows() {
            return to - from;
        }

        /** The raw rows (shared, not copied). */
        public double[][] values() {
            return Arrays.copyOfRange(series.values(), from, to);
        }
    }

    public static List<Partition> of(History history, double validationFraction) {
        List<Partition> out = new ArrayList<>();
        for (EntitySeries s : history.series()) {
            int split = (int) Math.floor(s.size() * (1 - validationFraction));
            out.add(new Partition(s, split, normalRuns(s, 0, split), normalRuns(s, split, s.size())));
        }
        return out;
    }

    /** The maximal runs of unlabelled-or-normal rows in {@code [from, to)}. */
    static List<Segment> normalRuns(EntitySeries s, int from, int to) {
        List<Segment> runs = new ArrayList<>();
        boolean[] labels = s.labels();
        int start = -1;
        for (int i = from; i < to; i++) {
            boolean normal = labels == null || !labels[i];
            if (normal && start < 0) {
                start = i;
            } else if (!normal && start >= 0) {
                runs.add(new Segment(s, start, i));
                start = -1;
            }
        }
        if (start >= 0 && to > start) {
            runs.add(new Segment(s, start, to));
        }
        return runs;
    }

    public int trainRows() {
        return split;
    }

    public int validationRows() {
        return series.size() - split;
    }

    public int trainNormalRows() {
        return trainNormal.stream().mapToInt(Segment::rows).sum();
    }

    public int validationNormalRows() {
        return validationNormal.stream().mapToInt(Segment::rows).sum();
    }
}
