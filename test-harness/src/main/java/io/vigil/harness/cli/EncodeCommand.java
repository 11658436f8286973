package io.vigil.harness.cli;

import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code encode}: one SensorReading in Vigil's wire format, for kcat or any producer that sends bytes. */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes one SensorReading, Avro single-object encoded, to a file or standard output.",
            "Example: encode --entity pump-1 --value temperature=71.5 --value pressure=1.2 --output r.avro",
            "         kcat -P -b 127.0.0.1:9092 -t vigil-readings -k pump-1 r.avro"
        })
public final class EncodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--entity", required = true, description = "Entity id (also use it as the Kafka key).")
    private String entity;

    @Option(names = "--time", description = "Event time, ISO-8601 or epoch milliseconds. Default: now.")
    private String time;

    @Option(names = "--value", required = true, description = "A channel value, name=number; repeat per channel.")
    private Map<String, String> values = new LinkedHashMap<>();

    @Option(names = "--tag", description = "A tag, key=value; repeat as needed.")
    private Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--output", description = "File to write. Default: standard output.")
    private Path output;

    @Override
    public Integer call() throws Exception {
        Map<String, Double> numbers = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            try {
                numbers.put(k, Double.valueOf(v));
            } catch (NumberFormatException e) {
                throw new ParameterException(
                        spec.commandLine(), "--value " + k + "=" + v + ": '" + v + "' is not a number");
            }
        });
        SensorReading reading = SensorReading.newBuilder()
                .setEntityId(entity)
                .setEventTime(eventTime())
                .setValues(numbers)
                .setTags(tags)
                .build();
        byte[] bytes = WireFormat.encode(reading);
        if (output == null) {
            OutputStream out = System.out;
            out.write(bytes);
            out.flush();
        } else {
            Files.write(output, bytes);
        }
        return 0;
    }

    private Instant eventTime() {
        if (time == null) {
            return Instant.now();
        }
        try {
            return time.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(time))
                    : Instant.parse(time);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--time '" + time + "' is neither ISO-8601 (2026-12-01T10:00:00Z) nor epoch milliseconds");
        }
    }
}
