package io.vigil.trainer.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 6h}, {@code 7d} or ISO-8601 ({@code PT30S}). */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(
                        Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Math.round(
                        Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 60));
            }
            if (v.endsWith("h")) {
                return Duration.ofSeconds(Math.round(
                        Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 3600));
            }
            if (v.endsWith("d")) {
                return Duration.ofSeconds(Math.round(
                        Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 86400));
            }
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration; use e.g. 500ms, 30s, 2m, 6h, 7d or PT30S");
        }
    }
}
