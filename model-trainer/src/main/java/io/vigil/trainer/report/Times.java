package io.vigil.trainer.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times and durations as the report's text shows them (UTC). */
final class Times {

    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    private static final DateTimeFormatter SECONDS = fmt("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MILLIS = fmt("yyyy-MM-dd HH:mm:ss.SSS");

    private Times() {}

    /** {@code t} as {@code 2024-01-01 00:03:20} (UTC), with milliseconds when it has some. */
    static String format(long t) {
        return (t % 1000 == 0 ? SECONDS : MILLIS).format(Instant.ofEpochMilli(t));
    }

    /** A duration as the reader would say it: {@code 45 s}, {@code 3.5 h}, {@code 12 days}. */
    static String duration(long ms) {
        return ms < M
                ? trim(ms / (double) S) + " s"
                : ms < H
                        ? trim(ms / (double) M) + " min"
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
