package io.vigil.job.io;

import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

/**
 * Turns the bytes of one Kafka record into a scorable {@link SensorEvent} or a {@link DeadLetter}
 * with the reason; it never throws, so no input can fail the job.
 */
public final class ReadingDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final FeatureSpec features;
    private final long maxFutureMillis;
    private final Clock clock;
    private transient BinaryMessageDecoder<SensorReading> decoder;

    public ReadingDecoder(FeatureSpec features, Duration maxFuture, Clock clock) {
        this.features = features;
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
    }

    public Envelope decode(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        if (value == null || value.length == 0) {
            return dead(key, value, DeadLetter.EMPTY_VALUE, "the record has no value", topic, partition, offset, timestamp);
        }
        if (decoder == null) {
            decoder = WireFormat.decoder(SensorReading.class);
        }
        SensorReading reading;
        try {
            reading = decoder.decode(value);
        } catch (MissingSchemaException e) {
            return dead(key, value, DeadLetter.UNKNOWN_SCHEMA, "written with a schema this job does not know ("
                    + e.getMessage() + "); upgrade the job or the producer", topic, partition, offset, timestamp);
        } catch (BadHeaderException e) {
            return dead(key, value, DeadLetter.UNDECODABLE, "not Avro single-object encoded: " + e.getMessage(),
                    topic, partition, offset, timestamp);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            return dead(key, value, DeadLetter.UNDECODABLE, "corrupt Avro payload: " + e, topic, partition, offset,
                    timestamp);
        }
        String entity = reading.getEntityId();
        if (entity == null || entity.isBlank()) {
            return dead(key, value, DeadLetter.EMPTY_ENTITY, "entityId is empty", topic, partition, offset, timestamp);
        }
        long eventTime = reading.getEventTime().toEpochMilli();
        long now = clock.millis();
        if (eventTime <= 0 || eventTime > now + maxFutureMillis) {
            return dead(key, value, DeadLetter.BAD_TIMESTAMP, "eventTime " + reading.getEventTime()
                    + " is not after 1970 or more than " + Duration.ofMillis(maxFutureMillis) + " ahead of the clock",
                    topic, partition, offset, timestamp);
        }
        double[] values = new double[features.size()];
        String problem = features.vectorise(reading.getValues(), values);
        if (problem != null) {
            String reason = problem.startsWith("missing") ? DeadLetter.MISSING_CHANNEL : DeadLetter.INVALID_VALUE;
            return dead(key, value, reason, problem, topic, partition, offset, timestamp);
        }
        return Envelope.of(new SensorEvent(entity, eventTime, values, timestamp, partition, offset));
    }

    private static Envelope dead(byte[] key, byte[] value, String reason, String detail, String topic, int partition,
            long offset, long timestamp) {
        return Envelope.dead(new DeadLetter(key, value, reason, detail, topic, partition, offset, timestamp));
    }
}
