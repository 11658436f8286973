package io.vigil.trainer.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ticks of a time axis in UTC on round steps (seconds to years), labelled with the precision the step
 * needs; the date is added under the first tick and wherever it changes, so a reader always knows the day.
 */
final class TimeAxis {

    /** A tick at {@code time}: its label, and the date line under it (empty when it repeats). */
    record Tick(long time, String label, String context) {}

    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    private static final long[] FIXED = {1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S,
        M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D};
    private static final int[] MONTHS = {1, 2, 3, 6, 12, 24, 60, 120, 600, 1200};
    /** 1970-01-05, a Monday: weeks start on Mondays. */
    private static final long MONDAY = 4 * D;

    private static final DateTimeFormatter DATE = fmt("yyyy-MM-dd");
    private static final DateTimeFormatter YEAR = fmt("yyyy");

    private TimeAxis() {}

    /** At most about {@code target} ticks within [t0, t1]. */
    static List<Tick> ticks(long t0, long t1, int target) {
        long span = Math.max(1, t1 - t0);
        for (long step : FIXED) {
            if (span / step <= target) {
                return fixed(t0, t1, step);
            }
        }
        for (int months : MONTHS) {
            if (span / (30.44 * D * months) <= target) {
                return monthly(t0, t1, months);
            }
        }
        return monthly(t0, t1, MONTHS[MONTHS.length - 1]);
    }

    private static List<Tick> fixed(long t0, long t1, long step) {
        long origin = step >= 7 * D ? MONDAY : 0;
        DateTimeFormatter label = step < S ? fmt("HH:mm:ss.SSS") : step < M ? fmt("HH:mm:ss") : step < D ? fmt("HH:mm")
                : fmt("MMM d");
        DateTimeFormatter context = step < D ? DATE : YEAR;
        List<Long> times = new ArrayList<>();
        for (long t = origin + Math.floorDiv(t0 - origin + step - 1, step) * step; t <= t1; t += step) {
            times.add(t);
        }
        return label(times, label, context);
    }

    private static List<Tick> monthly(long t0, long t1, int months) {
        ZonedDateTime t = Instant.ofEpochMilli(t0).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        long index = t.getYear() * 12L + t.getMonthValue() - 1;
        t = t.plusMonths(Math.floorMod(-index, months));
        List<Long> times = new ArrayList<>();
        for (; t.toInstant().toEpochMilli() <= t1; t = t.plusMonths(months)) {
            if (t.toInstant().toEpochMilli() >= t0) {
                times.add(t.toInstant().toEpochMilli());
            }
        }
        return months >= 12 ? label(times, YEAR, null) : label(times, fmt("MMM"), YEAR);
    }

    private static List<Tick> label(List<Long> times, DateTimeFormatter label, DateTimeFormatter context) {
        List<Tick> out = new ArrayList<>();
        String previous = null;
        for (long t : times) {
            Instant i = Instant.ofEpochMilli(t);
            String c = context == null ? "" : context.format(i);
            out.add(new Tick(t, label.format(i), c.equals(previous) ? "" : c));
            previous = c;
        }
        return out;
    }

    /** {@code t} as {@code 2024-01-01 00:03:20} (UTC), with milliseconds when it has some. */
    static String format(long t) {
        return fmt(t % 1000 == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.SSS").format(Instant.ofEpochMilli(t));
    }

    /** A duration as the reader would say it: {@code 45 s}, {@code 3.5 h}, {@code 12 days}. */
    static String duration(long ms) {
        return ms < M ? trim(ms / (double) S) + " s" : ms < H ? trim(ms / (double) M) + " min"
                : ms < 2 * D ? trim(ms / (double) H) + " h" : trim(ms / (double) D) + " days";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static DateTimeFormatter fmt(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).withZone(ZoneOffset.UTC);
    }
}
