package io.vigil.trainer.history;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Parses the timestamp forms history files use into epoch milliseconds: epoch seconds, millis,
 * micros or nanos (told apart by magnitude), ISO-8601 instants and offset date-times, local
 * date-times with {@code T} or a space ({@code 2020-03-09 10:14:33}, SKAB), and plain dates.
 */
public final class Timestamps {

    /** Below this an epoch number is seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
    static final double SECONDS_BELOW = 1e11;

    static final double MILLIS_BELOW = 1e14;
    static final double MICROS_BELOW = 1e17;

    private Timestamps() {}

    /**
     * Epoch milliseconds of {@code text}; local date-times are taken in {@code zone}.
     *
     * @throws IllegalArgumentException whose message completes "'<text>' is ..." and lists the forms understood
     */
    public static long parse(String text, ZoneId zone) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        if (Numbers.isDecimal(t)) {
            return fromEpochNumber(t);
        }
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        try {
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from, LocalDateTime::from);
            if (parsed instanceof ZonedDateTime z) {
                return z.toInstant().toEpochMilli();
            }
            return ((LocalDateTime) parsed).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(iso).atStartOfDay(zone).toInstant().toEpochMilli();
            } catch (DateTimeParseException ignored) {
                throw new IllegalArgumentException("not a timestamp: use epoch seconds or milliseconds, ISO-8601"
                        + " (2020-03-09T10:14:33Z, 2020-03-09T10:14:33+03:00) or 2020-03-09 10:14:33");
            }
        }
    }

    private static long fromEpochNumber(String t) {
        double v = Double.parseDouble(t);
        double magnitude = Math.abs(v);
        if (magnitude < SECONDS_BELOW) {
            return Math.round(v * 1000);
        }
        if (magnitude < MILLIS_BELOW) {
            return Math.round(v);
        }
        if (magnitude < MICROS_BELOW) {
            return Math.round(v / 1e3);
        }
        // nanoseconds: parse exactly when it is an integer, doubles lose the last digits
        return t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0
                ? Long.parseLong(t.startsWith("+") ? t.substring(1) : t) / 1_000_000
                : Math.round(v / 1e6);
    }
}
