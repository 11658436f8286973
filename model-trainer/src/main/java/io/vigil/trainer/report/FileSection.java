package io.vigil.trainer.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One file (or entity) of a report: its readings, the true anomaly windows, the score of every row,
 * the threshold the score was compared with, the alerts raised, and the file's own metrics.
 *
 * <p>The arrays are held, not copied, because series are long: treat them as read-only. Build one
 * with {@link #builder(String)}:
 *
 * <pre>{@code
 * FileSection f = FileSection.builder("valve1/3.csv")
 *         .readings(timestamps, List.of("Accelerometer1RMS", "Pressure"), rows)   // rows x channels
 *         .scores(scores)                          // in [0, 1], NaN where not scored (warm-up)
 *         .threshold(Threshold.constant(0.93))     // or Threshold.dynamic(perRow)
 *         .window(start, end)                      // a true anomaly, epoch ms, both inclusive
 *         .alert(openedAt, Status.OPEN, "CRITICAL pressure")
 *         .metric(Metric.ratio("F1", 0.81))
 *         .build();
 * }</pre>
 *
 * @param timestamps epoch milliseconds, ascending, one per row
 * @param values rows x channels, in {@code channels} order; NaN where a reading is missing
 * @param scores one per row in [0, 1], NaN where the row was not scored
 */
public record FileSection(
        String name,
        long[] timestamps,
        List<String> channels,
        double[][] values,
        List<Window> windows,
        double[] scores,
        Threshold threshold,
        List<Alert> alerts,
        List<Metric> metrics) {

    /** A true anomaly from {@code start} to {@code end}, epoch milliseconds, both inclusive. */
    public record Window(long start, long end) {
        public Window {
            if (end < start) {
                throw new IllegalArgumentException(
                        "An anomaly window must not end (" + end + ") before it starts (" + start + ")");
            }
        }
    }

    /** What an alert record did. */
    public enum Status {
        OPEN,
        RESOLVED
    }

    /** An alert record at {@code time} (epoch ms); {@code label} is shown on hover and may be empty. */
    public record Alert(long time, Status status, String label) {
        public Alert {
            Objects.requireNonNull(status, "An alert needs a status");
            label = label == null ? "" : label;
        }
    }

    /** What the score was compared with: one value, or one per row (a dynamic threshold). */
    public sealed interface Threshold {

        static Threshold constant(double value) {
            return new Constant(value);
        }

        /** One threshold per row, NaN where there is none. */
        static Threshold dynamic(double[] perRow) {
            return new Dynamic(perRow);
        }

        /**
         * The threshold each row was compared with, NaN where there is none: {@link #constant} when every
         * row had the same one (a fixed quantile threshold), so the plot does not call it dynamic.
         */
        static Threshold ofRows(double[] perRow) {
            double first = Double.NaN;
            for (double t : perRow) {
                if (Double.isNaN(t)) {
                    continue;
                }
                if (Double.isNaN(first)) {
                    first = t;
                } else if (t != first) {
                    return dynamic(perRow);
                }
            }
            return Double.isNaN(first) ? dynamic(perRow) : constant(first);
        }

        /** A fixed threshold. */
        record Constant(double value) implements Threshold {}

        /** A threshold per row; the array is held, not copied. */
        record Dynamic(double[] perRow) implements Threshold {
            public Dynamic {
                Objects.requireNonNull(perRow, "A dynamic threshold needs its per-row values");
            }
        }
    }

    public FileSection {
        Objects.requireNonNull(name, "A file section needs a name");
        Objects.requireNonNull(timestamps, () -> name + ": timestamps are required");
        Objects.requireNonNull(values, () -> name + ": values are required");
        Objects.requireNonNull(scores, () -> name + ": scores are required (NaN where not scored)");
        Objects.requireNonNull(threshold, () -> name + ": a threshold is required");
        channels = List.copyOf(channels);
        windows = List.copyOf(windows);
        alerts = List.copyOf(alerts);
        metrics = List.copyOf(metrics);
        int n = timestamps.length;
        if (n == 0) {
            throw new IllegalArgumentException(name + ": a file section needs at least one row");
        }
        if (values.length != n || scores.length != n) {
            throw new IllegalArgumentException(name + ": " + n + " timestamps, " + values.length
                    + " rows of values and " + scores.length + " scores; they must be equally many");
        }
        if (threshold instanceof Threshold.Dynamic d && d.perRow().length != n) {
            throw new IllegalArgumentException(
                    name + ": the dynamic threshold has " + d.perRow().length + " values for " + n + " rows");
        }
        for (int i = 0; i < n; i++) {
            if (values[i].length != channels.size()) {
                throw new IllegalArgumentException(name + ": row " + i + " has " + values[i].length
                        + " values but there are " + channels.size() + " channels " + channels);
            }
            if (i > 0 && timestamps[i] < timestamps[i - 1]) {
                throw new IllegalArgumentException(
                        name + ": row " + i + " is earlier than row " + (i - 1) + "; rows must be in time order");
            }
        }
    }

    public int rows() {
        return timestamps.length;
    }

    /** Channel {@code j}'s values, row by row (a copy). */
    public double[] column(int j) {
        double[] c = new double[values.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = values[i][j];
        }
        return c;
    }

    /** Alerts with the given status. */
    public long alertCount(Status status) {
        return alerts.stream().filter(a -> a.status() == status).count();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects a section's parts; {@link #build()} checks they fit together. */
    public static final class Builder {

        private final String name;
        private long[] timestamps;
        private List<String> channels = List.of();
        private double[][] values;
        private final List<Window> windows = new ArrayList<>();
        private double[] scores;
        private Threshold threshold;
        private final List<Alert> alerts = new ArrayList<>();
        private final List<Metric> metrics = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The readings: one timestamp and one row of {@code channels.size()} values per row. */
        public Builder readings(long[] timestamps, List<String> channels, double[][] values) {
            this.timestamps = timestamps;
            this.channels = channels;
            this.values = values;
            return this;
        }

        public Builder scores(double[] scores) {
            this.scores = scores;
            return this;
        }

        /** The same score for every row; for a file that was not scored, {@code NaN}. */
        public Builder scores(double constant) {
            Objects.requireNonNull(timestamps, "Call readings(...) before scores(constant)");
            double[] s = new double[timestamps.length];
            Arrays.fill(s, constant);
            this.scores = s;
            return this;
        }

        public Builder threshold(Threshold threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder window(long start, long end) {
            windows.add(new Window(start, end));
            return this;
        }

        public Builder windows(List<Window> w) {
            windows.addAll(w);
            return this;
        }

        public Builder alert(long time, Status status, String label) {
            alerts.add(new Alert(time, status, label));
            return this;
        }

        public Builder alerts(List<Alert> a) {
            alerts.addAll(a);
            return this;
        }

        public Builder metric(Metric m) {
            metrics.add(m);
            return this;
        }

        public Builder metrics(List<Metric> m) {
            metrics.addAll(m);
            return this;
        }

        public FileSection build() {
            return new FileSection(name, timestamps, channels, values, windows, scores, threshold, alerts, metrics);
        }
    }
}
