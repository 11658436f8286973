package io.vigil.job.io;

import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

/**
 * Decodes the value of a Kafka record written in Vigil's wire format, turning every way it can fail into
 * a dead-letter reason and a detail a person can act on: the one mapping every decoder of the job uses.
 *
 * @param record the decoded record, or null when it could not be decoded
 * @param reason a {@link DeadLetter} reason when {@code record} is null
 */
public record AvroPayload<T>(T record, String reason, String detail) {

    public static <T> AvroPayload<T> decode(BinaryMessageDecoder<T> decoder, byte[] value) {
        if (value == null || value.length == 0) {
            return new AvroPayload<>(null, DeadLetter.EMPTY_VALUE, "the record has no value");
        }
        try {
            return new AvroPayload<>(decoder.decode(value), null, null);
        } catch (MissingSchemaException e) {
            return new AvroPayload<>(null, DeadLetter.UNKNOWN_SCHEMA, "written with a schema this job does not know ("
                    + e.getMessage() + "); upgrade the job or the producer");
        } catch (BadHeaderException e) {
            return new AvroPayload<>(null, DeadLetter.UNDECODABLE, "not Avro single-object encoded: " + e.getMessage());
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            return new AvroPayload<>(null, DeadLetter.UNDECODABLE, "corrupt Avro payload: " + e);
        }
    }
}
