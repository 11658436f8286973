package io.vigil.scoring;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's input: named channels in a fixed order. Turning named values into a vector happens here
 * and nowhere else, so the trainer and the job cannot disagree about which column is which.
 */
public final class FeatureSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final Map<String, Integer> index;

    public FeatureSpec(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("A model needs at least one feature (channel) name.");
        }
        this.names = List.copyOf(names);
        this.index = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            if (index.put(this.names.get(i), i) != null) {
                throw new IllegalArgumentException("Feature name '" + this.names.get(i) + "' appears twice.");
            }
        }
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /**
     * Copies the named values into {@code out} in feature order.
     *
     * @return {@code null} when every feature is present and finite, otherwise the reason the
     *     values cannot be scored (a missing channel, NaN or an infinity), for the dead-letter topic
     */
    public String vectorise(Map<? extends CharSequence, Double> values, double[] out) {
        int found = 0;
        for (Map.Entry<? extends CharSequence, Double> e : values.entrySet()) {
            Integer i = index.get(e.getKey().toString());
            if (i == null) {
                continue; // extra channels are carried by the producer, not scored
            }
            Double v = e.getValue();
            if (v == null || Double.isNaN(v) || Double.isInfinite(v)) {
                return "channel '" + e.getKey() + "' is " + v + ": only finite numbers can be scored";
            }
            out[i] = v;
            found++;
        }
        if (found < names.size()) {
            StringBuilder missing = new StringBuilder();
            for (String name : names) {
                if (!containsKey(values, name)) {
                    missing.append(missing.length() == 0 ? "" : ", ").append(name);
                }
            }
            return "missing channel(s) " + missing + "; the model needs " + names;
        }
        return null;
    }

    private static boolean containsKey(Map<? extends CharSequence, Double> values, String name) {
        for (CharSequence key : values.keySet()) {
            if (key.toString().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpec other && other.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
