package io.vigil.trainer.history;

/**
 * One entity's readings in time order (or, made with {@link #inFileOrder}, in file order): epoch-millisecond timestamps, one row of values per reading
 * (in the history's feature order) and, for labelled history, whether each reading is anomalous.
 *
 * <p>The arrays are shared, not copied, because histories are large: treat them as read-only.
 */
public final class EntitySeries {

    private final String entity;
    private final long[] timestamps;
    private final double[][] values;
    private final boolean[] labels;
    private final String source;

    /**
     * @param labels per-row labels (true = anomalous), or {@code null} for unlabelled history
     * @param source where the rows came from (file names), for messages and the training summary
     */
    public EntitySeries(String entity, long[] timestamps, double[][] values, boolean[] labels, String source) {
        this(entity, timestamps, values, labels, source, true);
    }

    /**
     * A series whose rows keep their file order, whatever their timestamps say: for benchmarks that score
     * rows by position (NAB), where repeated timestamps and rows out of order are data too.
     */
    public static EntitySeries inFileOrder(
            String entity, long[] timestamps, double[][] values, boolean[] labels, String source) {
        return new EntitySeries(entity, timestamps, values, labels, source, false);
    }

    private EntitySeries(
            String entity, long[] timestamps, double[][] values, boolean[] labels, String source, boolean timeOrder) {
        if (entity == null || entity.isEmpty()) {
            throw new IllegalArgumentException("An entity needs a non-empty id");
        }
        if (timestamps.length != values.length || (labels != null && labels.length != values.length)) {
            throw new IllegalArgumentException("Entity " + entity + ": " + timestamps.length + " timestamps, "
                    + values.length + " rows" + (labels == null ? "" : " and " + labels.length + " labels")
                    + "; they must be equally many");
        }
        for (int i = 1; timeOrder && i < timestamps.length; i++) {
            if (timestamps[i] < timestamps[i - 1]) {
                throw new IllegalArgumentException("Entity " + entity + ": row " + i + " is earlier than row " + (i - 1)
                        + "; rows must be in time order");
            }
        }
        this.entity = entity;
        this.timestamps = timestamps;
        this.values = values;
        this.labels = labels;
        this.source = source;
    }

    public String entity() {
        return entity;
    }

    public int size() {
        return values.length;
    }

    /** Epoch milliseconds, ascending. */
    public long[] timestamps() {
        return timestamps;
    }

    /** Rows of raw values in feature order. */
    public double[][] values() {
        return values;
    }

    /** Per-row labels (true = anomalous), or {@code null} when the history is unlabelled. */
    public boolean[] labels() {
        return labels;
    }

    public boolean labelled() {
        return labels != null;
    }

    /** Rows labelled anomalous (0 when unlabelled). */
    public int anomalies() {
        int n = 0;
        if (labels != null) {
            for (boolean l : labels) {
                n += l ? 1 : 0;
            }
        }
        return n;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return entity + " (" + values.length + " rows from " + source + ")";
    }
}
