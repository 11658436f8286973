package io.vigil.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * How Vigil's records travel on Kafka: Avro single-object encoding (two marker bytes, the writer
 * schema's 64-bit fingerprint, then Avro binary), so every message names the schema it was written
 * with. Decoders know every released version of a schema, so a message written by an older producer
 * still reads (Avro reader/writer resolution fills added fields from their defaults).
 *
 * <pre>{@code
 * byte[] bytes = WireFormat.encode(reading);
 * SensorReading back = WireFormat.decoder(SensorReading.class).decode(bytes);
 * }</pre>
 */
public final class WireFormat {

    /** First byte of every single-object encoded message. */
    public static final byte MARKER_0 = (byte) 0xC3;
    /** Second byte of every single-object encoded message. */
    public static final byte MARKER_1 = (byte) 0x01;

    /** Earlier released versions of the schemas, on the classpath under {@code history/}. */
    private static final List<String> HISTORY = List.of(
            "history/SensorReading-v1.avsc",
            "history/Alert-v1.avsc",
            "history/Alert-v2.avsc",
            "history/EventScore-v1.avsc",
            "history/EventScore-v2.avsc",
            "history/Transaction-v1.avsc");

    private static final SchemaStore.Cache STORE = loadHistory();

    /** Encoders are thread-safe and costly to build (they compute the fingerprint): one per schema. */
    private static final Map<Schema, BinaryMessageEncoder<SpecificRecord>> ENCODERS = new ConcurrentHashMap<>();

    private WireFormat() {}

    /** Encodes a generated record with its own (current) schema. */
    public static byte[] encode(SpecificRecord record) {
        BinaryMessageEncoder<SpecificRecord> encoder =
                ENCODERS.computeIfAbsent(record.getSchema(), s -> new BinaryMessageEncoder<>(SpecificData.get(), s));
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not encode " + record.getSchema().getName(), e);
        }
    }

    /**
     * A decoder into {@code type} that accepts the current schema and every released earlier
     * version. Decoders are not thread-safe: hold one per thread or per operator instance.
     */
    public static <T extends SpecificRecord> BinaryMessageDecoder<T> decoder(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema, STORE);
        decoder.addSchema(schema);
        return decoder;
    }

    /**
     * A decoder into {@code type} like {@link #decoder}, that also refuses a message whose length
     * prefixes claim more than the message holds, before anything is allocated for them: for input from
     * outside (see {@link BoundedMessageDecoder}).
     */
    public static <T extends SpecificRecord> BoundedMessageDecoder<T> boundedDecoder(Class<T> type) {
        return new BoundedMessageDecoder<>(SpecificData.get().getSchema(type), STORE);
    }

    /**
     * A {@link #boundedDecoder} that also reads messages written with a newer schema found in
     * {@code newer} (a producer that moved on while this code runs), resolved into {@code type} as Avro
     * does: fields the reader does not have are skipped, fields it has and the writer does not take
     * their defaults.
     */
    public static <T extends SpecificRecord> BoundedMessageDecoder<T> boundedDecoder(Class<T> type, SchemaStore newer) {
        return new BoundedMessageDecoder<>(SpecificData.get().getSchema(type), fingerprint -> {
            Schema known = STORE.findByFingerprint(fingerprint);
            return known != null ? known : newer.findByFingerprint(fingerprint);
        });
    }

    /** The 64-bit CRC fingerprint a single-object message of this schema carries. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Released earlier versions of the named record (full name), oldest first. */
    public static List<Schema> history(String fullName) {
        return HISTORY.stream()
                .map(WireFormat::load)
                .filter(s -> s.getFullName().equals(fullName))
                .toList();
    }

    private static SchemaStore.Cache loadHistory() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        HISTORY.forEach(path -> cache.addSchema(load(path)));
        return cache;
    }

    private static Schema load(String path) {
        try (InputStream in = WireFormat.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Schema history resource missing: " + path);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read schema history resource " + path, e);
        }
    }
}
