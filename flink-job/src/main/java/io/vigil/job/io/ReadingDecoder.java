package io.vigil.job.io;

import io.vigil.schemas.BoundedMessageDecoder;
import io.vigil.schemas.SchemaDirectory;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns the bytes of one Kafka record into a scorable {@link SensorEvent} or a {@link DeadLetter}
 * with the reason; it never throws, so no input can fail the job. Nothing a record claims is
 * allocated before it is checked: the Avro body is read by {@link BoundedMessageDecoder} (a length
 * prefix larger than what is left is refused), a record over {@value #MAX_RECORD_BYTES} bytes is not
 * decoded at all, and a reading with more than {@value #MAX_CHANNELS} channels or {@value #MAX_TAGS}
 * tags, or an entity id over {@value #MAX_ENTITY_LENGTH} characters, is dead-lettered as
 * {@link DeadLetter#OVERSIZED}.
 */
public final class ReadingDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The largest record decoded (a reading of 1,024 channels with 32-character names is about 42 KB). */
    public static final int MAX_RECORD_BYTES = 256 * 1024;
    /** The most channels one reading may carry. */
    public static final int MAX_CHANNELS = 1024;
    /** The most tags one reading may carry. */
    public static final int MAX_TAGS = 64;
    /** The longest entity id, in characters. */
    public static final int MAX_ENTITY_LENGTH = 256;

    private final FeatureSpec features;
    private final long maxFutureMillis;
    private final Clock clock;
    private final String schemaStore;
    private transient BoundedMessageDecoder<SensorReading> decoder;
    private transient SchemaDirectory newerSchemas;

    public ReadingDecoder(FeatureSpec features, Duration maxFuture, Clock clock) {
        this(features, maxFuture, clock, "");
    }

    /**
     * @param schemaStore a directory of reading schemas newer than the job's ({@link SchemaDirectory}),
     *     or "" for none
     */
    public ReadingDecoder(FeatureSpec features, Duration maxFuture, Clock clock, String schemaStore) {
        this.features = features;
        this.maxFutureMillis = maxFuture.toMillis();
        this.clock = clock;
        this.schemaStore = schemaStore;
    }

    public Envelope decode(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
        if (decoder == null) {
            if (schemaStore.isEmpty()) {
                decoder = WireFormat.boundedDecoder(SensorReading.class);
            } else {
                newerSchemas = new SchemaDirectory(Path.of(schemaStore));
                decoder = WireFormat.boundedDecoder(SensorReading.class, newerSchemas);
            }
        }
        AvroPayload<SensorReading> payload =
                AvroPayload.decode(decoder, value, MAX_RECORD_BYTES, "a reading", this::unknownSchemaAdvice);
        if (payload.record() == null) {
            return dead(key, value, payload.reason(), payload.detail(), topic, partition, offset, timestamp);
        }
        SensorReading reading = payload.record();
        String entity = reading.getEntityId();
        if (entity == null || entity.isBlank()) {
            return dead(key, value, DeadLetter.EMPTY_ENTITY, "entityId is empty", topic, partition, offset, timestamp);
        }
        if (entity.length() > MAX_ENTITY_LENGTH
                || reading.getValues().size() > MAX_CHANNELS
                || (reading.getTags() != null && reading.getTags().size() > MAX_TAGS)) {
            return dead(
                    key,
                    value,
                    DeadLetter.OVERSIZED,
                    "entityId of " + entity.length() + " characters, "
                            + reading.getValues().size() + " channels, "
                            + (reading.getTags() == null ? 0 : reading.getTags().size())
                            + " tags; at most " + MAX_ENTITY_LENGTH + ", " + MAX_CHANNELS + " and " + MAX_TAGS,
                    topic,
                    partition,
                    offset,
                    timestamp);
        }
        long eventTime = reading.getEventTime().toEpochMilli();
        long now = clock.millis();
        if (eventTime <= 0 || eventTime > now + maxFutureMillis) {
            return dead(
                    key,
                    value,
                    DeadLetter.BAD_TIMESTAMP,
                    "eventTime " + reading.getEventTime() + " is not after 1970 or more than "
                            + Duration.ofMillis(maxFutureMillis) + " ahead of the clock",
                    topic,
                    partition,
                    offset,
                    timestamp);
        }
        double[] values = new double[features.size()];
        String problem = features.vectorise(reading.getValues(), values);
        if (problem != null) {
            String reason = problem.startsWith("missing") ? DeadLetter.MISSING_CHANNEL : DeadLetter.INVALID_VALUE;
            return dead(key, value, reason, problem, topic, partition, offset, timestamp);
        }
        return Envelope.of(new SensorEvent(entity, eventTime, values, timestamp, partition, offset));
    }

    private String unknownSchemaAdvice() {
        if (newerSchemas == null) {
            return "upgrade the job or the producer";
        }
        return "put the producer's schema (.avsc) in the job's schema store " + schemaStore
                + (newerSchemas.problems().isEmpty()
                        ? ""
                        : " (unreadable there: " + String.join("; ", newerSchemas.problems()) + ")")
                + ", or upgrade the job";
    }

    private static Envelope dead(
            byte[] key,
            byte[] value,
            String reason,
            String detail,
            String topic,
            int partition,
            long offset,
            long timestamp) {
        return Envelope.dead(new DeadLetter(key, value, reason, detail, topic, partition, offset, timestamp));
    }
}
