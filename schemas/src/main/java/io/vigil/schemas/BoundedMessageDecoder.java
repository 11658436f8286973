package io.vigil.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * Decodes Avro single-object encoded messages as {@link org.apache.avro.message.BinaryMessageDecoder}
 * does (the same header, the same writer schemas, the same reader/writer resolution), but checks every
 * length prefix in the body against the bytes the message has left before anything is allocated for
 * it. Avro allocates a string, a byte array or a map by the length its prefix claims (up to 2 GiB), so
 * a 19-byte message claiming a 500 MB string throws {@link OutOfMemoryError} in a 384 MB heap: a
 * message from outside could stop a TaskManager, again on every replay. Here it is an
 * {@link IOException} naming the claim. Not thread-safe: one per thread or operator instance.
 */
public final class BoundedMessageDecoder<T extends SpecificRecord> {

    private static final int HEADER = 10;

    private final Schema readSchema;
    private final SchemaStore store;
    private final java.util.Map<Long, SpecificDatumReader<T>> readers = new java.util.HashMap<>();
    private BinaryDecoder reuse;

    BoundedMessageDecoder(Schema readSchema, SchemaStore store) {
        this.readSchema = readSchema;
        this.store = store;
    }

    /**
     * The record in {@code message}.
     *
     * @throws BadHeaderException when it is not single-object encoded
     * @throws MissingSchemaException when its writer schema is not known here
     * @throws IOException when its body is truncated, corrupt or claims more than it holds
     */
    public T decode(byte[] message) throws IOException {
        if (message.length < HEADER || message[0] != WireFormat.MARKER_0 || message[1] != WireFormat.MARKER_1) {
            throw new BadHeaderException("Not a single-object encoded message: "
                    + (message.length < HEADER
                            ? message.length + " bytes, shorter than the 10-byte header"
                            : "it does not start with C3 01"));
        }
        long fingerprint =
                ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            Schema writer = WireFormat.fingerprint(readSchema) == fingerprint
                    ? readSchema
                    : store.findByFingerprint(fingerprint);
            if (writer == null) {
                throw new MissingSchemaException("Cannot resolve schema for fingerprint: " + fingerprint);
            }
            reader = new SpecificDatumReader<>(writer, readSchema);
            readers.put(fingerprint, reader);
        }
        reuse = DecoderFactory.get().binaryDecoder(message, HEADER, message.length - HEADER, reuse);
        return reader.read(null, new Bounded(reuse));
    }

    /** The binary decoder with every length and item count checked against what is left. */
    private static final class Bounded extends Decoder {
        private final BinaryDecoder in;

        Bounded(BinaryDecoder in) {
            this.in = in;
        }

        private int left() throws IOException {
            return in.inputStream().available();
        }

        private int length(String what) throws IOException {
            long n = in.readLong();
            if (n < 0 || n > left()) {
                throw new IOException("a " + what + " claims " + n + " bytes but the message has " + left() + " left");
            }
            return (int) n;
        }

        private long items(long n, String what) throws IOException {
            // every item takes at least one byte
            if (n > left()) {
                throw new IOException(
                        "a " + what + " claims " + n + " items but the message has " + left() + " bytes left");
            }
            return n;
        }

        @Override
        public void readNull() throws IOException {
            in.readNull();
        }

        @Override
        public boolean readBoolean() throws IOException {
            return in.readBoolean();
        }

        @Override
        public int readInt() throws IOException {
            return in.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return in.readLong();
        }

        @Override
        public float readFloat() throws IOException {
            return in.readFloat();
        }

        @Override
        public double readDouble() throws IOException {
            return in.readDouble();
        }

        @Override
        public Utf8 readString(Utf8 old) throws IOException {
            byte[] b = new byte[length("string")];
            in.readFixed(b);
            return new Utf8(b);
        }

        @Override
        public String readString() throws IOException {
            byte[] b = new byte[length("string")];
            in.readFixed(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        @Override
        public void skipString() throws IOException {
            in.skipFixed(length("string"));
        }

        @Override
        public ByteBuffer readBytes(ByteBuffer old) throws IOException {
            byte[] b = new byte[length("bytes field")];
            in.readFixed(b);
            return ByteBuffer.wrap(b);
        }

        @Override
        public void skipBytes() throws IOException {
            in.skipFixed(length("bytes field"));
        }

        @Override
        public void readFixed(byte[] bytes, int start, int length) throws IOException {
            in.readFixed(bytes, start, length);
        }

        @Override
        public void skipFixed(int length) throws IOException {
            in.skipFixed(length);
        }

        @Override
        public int readEnum() throws IOException {
            return in.readEnum();
        }

        @Override
        public long readArrayStart() throws IOException {
            return items(in.readArrayStart(), "array");
        }

        @Override
        public long arrayNext() throws IOException {
            return items(in.arrayNext(), "array");
        }

        @Override
        public long skipArray() throws IOException {
            return in.skipArray();
        }

        @Override
        public long readMapStart() throws IOException {
            return items(in.readMapStart(), "map");
        }

        @Override
        public long mapNext() throws IOException {
            return items(in.mapNext(), "map");
        }

        @Override
        public long skipMap() throws IOException {
            return in.skipMap();
        }

        @Override
        public int readIndex() throws IOException {
            return in.readIndex();
        }
    }
}
