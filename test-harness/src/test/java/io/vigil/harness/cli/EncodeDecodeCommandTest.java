package io.vigil.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.HarnessCli;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeDecodeCommandTest {

    @TempDir
    Path dir;

    @Test
    void encodesAReadingAndDecodesKcatFramedRecords() throws Exception {
        Path file = dir.resolve("r.avro");
        assertThat(run(
                                "encode",
                                "--entity",
                                "pump-1",
                                "--time",
                                "2026-12-01T10:00:00Z",
                                "--value",
                                "temperature=71.5",
                                "--value",
                                "pressure=1.25",
                                "--tag",
                                "site=north",
                                "--output",
                                file.toString())
                        .code)
                .isZero();
        SensorReading r = WireFormat.decoder(SensorReading.class).decode(Files.readAllBytes(file));
        assertThat(r.getEntityId()).isEqualTo("pump-1");
        assertThat(r.getValues()).containsEntry("temperature", 71.5).containsEntry("pressure", 1.25);
        assertThat(r.getTags()).containsEntry("site", "north");

        // kcat -f '%R%s': a 4-byte big-endian length, then the value; twice, and a null (-1)
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(framed);
        byte[] bytes = Files.readAllBytes(file);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.writeInt(-1);
        out.writeInt(bytes.length);
        out.write(bytes);
        Path input = dir.resolve("framed.bin");
        Files.write(input, framed.toByteArray());
        Result decoded = run("decode", "readings", "--input", input.toString());

        assertThat(decoded.code).isZero();
        assertThat(decoded.out.lines()).hasSize(3);
        assertThat(decoded.out.lines().toList().get(0)).contains("\"entityId\": \"pump-1\"", "\"temperature\": 71.5");
        assertThat(decoded.out.lines().toList().get(1)).isEqualTo("null");
    }

    @Test
    void badValuesAreUsageErrors() {
        Result notANumber = run("encode", "--entity", "p", "--value", "temperature=warm");
        assertThat(notANumber.code).isEqualTo(HarnessCli.USAGE);
        assertThat(notANumber.err).contains("'warm' is not a number");
        Result badTime = run("encode", "--entity", "p", "--value", "t=1", "--time", "yesterday");
        assertThat(badTime.code).isEqualTo(HarnessCli.USAGE);
        assertThat(badTime.err).contains("neither ISO-8601");
        assertThat(run("decode", "tweets").err).contains("Invalid value");
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarnessCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
