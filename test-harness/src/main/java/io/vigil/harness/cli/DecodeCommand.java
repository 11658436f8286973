package io.vigil.harness.cli;

import io.vigil.schemas.Alert;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.ModelAnnouncement;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code decode}: Vigil records framed by kcat's {@code %R%s} format, one JSON line each. */
@Command(
        name = "decode",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads records framed as kcat -f '%%R%%s' writes them (a 4-byte big-endian length, then the value)"
                    + " from standard input and prints each as one line of JSON.",
            "Example: kcat -C -b 127.0.0.1:9092 -t vigil-alerts -X isolation.level=read_committed \\",
            "             -o beginning -e -f '%%R%%s' | vigil-harness decode alerts"
        })
public final class DecodeCommand implements Callable<Integer> {

    /** What the topic holds. */
    enum Kind {
        ALERTS(Alert.class),
        SCORES(EventScore.class),
        READINGS(SensorReading.class),
        ANNOUNCEMENTS(ModelAnnouncement.class);

        final Class<? extends SpecificRecord> type;

        Kind(Class<? extends SpecificRecord> type) {
            this.type = type;
        }
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", description = "What the records are: alerts, scores, readings or announcements.")
    private Kind kind;

    @picocli.CommandLine.Option(names = "--input", description = "File to read. Default: standard input.")
    private java.nio.file.Path inputFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BinaryMessageDecoder<? extends SpecificRecord> decoder = WireFormat.decoder(kind.type);
        int bad = 0;
        try (DataInputStream in = new DataInputStream(input())) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                if (length < 0) {
                    out.println("null");
                    continue;
                }
                byte[] value = in.readNBytes(length);
                if (value.length < length) {
                    throw new EOFException("a record of " + length + " bytes ends after " + value.length
                            + ": was the input written with kcat -f '%R%s'?");
                }
                try {
                    out.println(decoder.decode(value));
                } catch (Exception e) {
                    bad++;
                    err.println("undecodable record (" + length + " bytes): " + e.getMessage());
                }
            }
        }
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    private InputStream input() throws java.io.IOException {
        return inputFile == null ? System.in : java.nio.file.Files.newInputStream(inputFile);
    }
}
