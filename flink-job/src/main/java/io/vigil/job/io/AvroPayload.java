package io.vigil.job.io;

import io.vigil.schemas.BoundedMessageDecoder;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes the value of a Kafka record written in Vigil's wire format, turning every way it can fail into
 * a dead-letter reason and a detail a person can act on: the one mapping every decoder of the job uses.
 * Nothing a record claims is allocated before it is checked: a value over {@code maxBytes} is not
 * decoded at all, and the body is read by a {@link BoundedMessageDecoder} (a length prefix larger than
 * what is left is refused).
 *
 * @param record the decoded record, or null when it could not be decoded
 * @param reason a {@link DeadLetter} reason when {@code record} is null
 */
public record AvroPayload<T>(T record, String reason, String detail) {

    /**
     * @param what the record's kind, for the messages ("a reading")
     * @param unknownSchemaAdvice what to do about a schema the job does not know ("upgrade the job or the producer")
     */
    public static <T extends SpecificRecord> AvroPayload<T> decode(
            BoundedMessageDecoder<T> decoder,
            byte[] value,
            int maxBytes,
            String what,
            Supplier<String> unknownSchemaAdvice) {
        if (value == null || value.length == 0) {
            return new AvroPayload<>(null, DeadLetter.EMPTY_VALUE, "the record has no value");
        }
        if (value.length > maxBytes) {
            return new AvroPayload<>(
                    null,
                    DeadLetter.OVERSIZED,
                    "the record has " + value.length + " bytes, more than the " + maxBytes + " " + what + " may have");
        }
        try {
            return new AvroPayload<>(decoder.decode(value), null, null);
        } catch (MissingSchemaException e) {
            return new AvroPayload<>(
                    null,
                    DeadLetter.UNKNOWN_SCHEMA,
                    "written with a schema this job does not know (" + e.getMessage() + "); "
                            + unknownSchemaAdvice.get());
        } catch (BadHeaderException e) {
            return new AvroPayload<>(null, DeadLetter.UNDECODABLE, "not Avro single-object encoded: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Avro reports corrupt bodies with several runtime exceptions (AvroRuntimeException,
            // IndexOutOfBounds, NegativeArraySize, a limit's UnsupportedOperationException, ...)
            return new AvroPayload<>(null, DeadLetter.UNDECODABLE, "corrupt Avro payload: " + e);
        }
    }
}
