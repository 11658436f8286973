package io.vigil.job.io;

import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.message.BinaryMessageDecoder;

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
        if (decoder == null) {
            decoder = WireFormat.decoder(SensorReading.class);
        }
        AvroPayload<SensorReading> payload = AvroPayload.decode(decoder, value);
        if (payload.record() == null) {
            return dead(key, value, payload.reason(), payload.detail(), topic, partition, offset, timestamp);
        }
        SensorReading reading = payload.record();
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
