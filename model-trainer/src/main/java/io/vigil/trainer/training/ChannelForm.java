package io.vigil.trainer.training;

import io.vigil.scoring.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the fit data alone, which channels the networks see as first differences rather than
 * levels: channels that <em>drift</em>. A channel drifts when, in an entity's normal fit rows, its
 * newest part (the validation rows) sits away from its older part (the training rows) by a sizeable
 * share of the older part's spread: a slow channel (a temperature warming over hours) that wanders
 * beyond the range the history shows, and would look anomalous as a level long after anything
 * happened. The measure is {@code |mean(validation) - mean(training)| / std(training)} per entity; a
 * channel is differenced when its median over the entities is at least {@link #DRIFT_BOUND}.
 *
 * <p>How the bound was chosen: on SKAB's valve1 files (fit rows only, no labels), the two slow channels
 * score 1.24 (Temperature) and 0.91 (Thermocouple), every other channel at most 0.26; 0.75 lies between.
 * It splits valve2 the same way (1.04 and 1.06 against at most 0.23) and differences nothing on NAB's
 * development files (0.33), where differencing did not help (docs/benchmarks.md).
 */
public final class ChannelForm {

    /** Median drift at and above which a channel is differenced. */
    public static final double DRIFT_BOUND = 0.75;

    private ChannelForm() {}

    /**
     * The decision.
     *
     * @param differenced the channels to difference, in feature order
     * @param drift per channel, the median drift over the entities that had rows in both parts
     */
    public record Decision(List<String> differenced, Map<String, Double> drift) {}

    public static Decision decide(FeatureSpec features, List<Partition> parts) {
        int c = features.size();
        List<String> out = new ArrayList<>();
        Map<String, Double> drift = new LinkedHashMap<>();
        for (int j = 0; j < c; j++) {
            List<Double> perKey = new ArrayList<>();
            for (Partition p : parts) {
                double d = drift(p.trainNormal(), p.validationNormal(), j);
                if (!Double.isNaN(d)) {
                    perKey.add(d);
                }
            }
            double median = median(perKey);
            drift.put(features.names().get(j), median);
            if (median >= DRIFT_BOUND) {
                out.add(features.names().get(j));
            }
        }
        return new Decision(out, drift);
    }

    /** One entity's drift of channel j: NaN when a part is empty or the training part does not vary. */
    static double drift(List<Partition.Segment> train, List<Partition.Segment> validation, int j) {
        double[] t = moments(train, j);
        double[] v = moments(validation, j);
        if (t[0] < 2 || v[0] < 1) {
            return Double.NaN;
        }
        double std = Math.sqrt(t[2] / (t[0] - 1));
        return std > 0 ? Math.abs(v[1] - t[1]) / std : Double.NaN;
    }

    /** Count, mean and sum of squared deviations (Welford) of channel j over the segments' rows. */
    private static double[] moments(List<Partition.Segment> segments, int j) {
        double n = 0;
        double mean = 0;
        double m2 = 0;
        for (Partition.Segment s : segments) {
            double[][] rows = s.series().values();
            for (int i = s.from(); i < s.to(); i++) {
                double x = rows[i][j];
                n++;
                double d = x - mean;
                mean += d / n;
                m2 += d * (x - mean);
            }
        }
        return new double[] {n, mean, m2};
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
