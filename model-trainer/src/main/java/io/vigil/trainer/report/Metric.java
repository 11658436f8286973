package io.vigil.trainer.report;

import java.util.Locale;
import java.util.Objects;

/**
 * One named number of a report, with the text it is shown as ({@code F1 0.812}, {@code FAR 12.3 %},
 * {@code NAB standard 64.2}). The value sorts the per-file table; NaN shows as a dash.
 *
 * <pre>{@code
 * List.of(Metric.ratio("F1", 0.8123), Metric.percent("FAR", 0.123), Metric.number("NAB standard", 64.2, 1),
 *         Metric.count("events", 9228))
 * }</pre>
 */
public record Metric(String name, double value, String text) {

    /** Shown for NaN values. */
    public static final String MISSING = "\u2013";

    public Metric {
        Objects.requireNonNull(name, "A metric needs a name");
        Objects.requireNonNull(text, () -> "Metric " + name + " needs a text (use a factory such as Metric.ratio)");
    }

    /** A value with {@code decimals} digits after the point. */
    public static Metric number(String name, double value, int decimals) {
        return new Metric(
                name, value, Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    /** A fraction in [0, 1] such as precision or F1, shown with three decimals. */
    public static Metric ratio(String name, double fraction) {
        return number(name, fraction, 3);
    }

    /** A fraction shown as a percentage with one decimal ({@code 0.123} shows as {@code 12.3 %}). */
    public static Metric percent(String name, double fraction) {
        return new Metric(
                name,
                fraction,
                Double.isNaN(fraction) ? MISSING : String.format(Locale.ROOT, "%.1f %%", 100 * fraction));
    }

    /** A count with thousands separators. */
    public static Metric count(String name, long n) {
        return new Metric(name, n, String.format(Locale.ROOT, "%,d", n));
    }

    /** Text that is not a number (sorts alphabetically). */
    public static Metric text(String name, String text) {
        return new Metric(name, Double.NaN, text);
    }
}
