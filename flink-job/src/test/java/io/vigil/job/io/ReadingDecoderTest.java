package io.vigil.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class ReadingDecoderTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final ReadingDecoder decoder = new ReadingDecoder(
            new FeatureSpec(List.of("pressure", "temperature")), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidReadingBecomesAnEventInFeatureOrder() {
        Envelope e =
                decode(reading("pump-1", NOW.minusSeconds(5), Map.of("temperature", 70.0, "pressure", 1.5, "x", 9.0)));

        assertThat(e.isEvent()).isTrue();
        assertThat(e.event.entityId).isEqualTo("pump-1");
        assertThat(e.event.eventTime).isEqualTo(NOW.minusSeconds(5).toEpochMilli());
        assertThat(e.event.values).containsExactly(1.5, 70.0);
        assertThat(e.event.ingestTime).isEqualTo(1234L);
        assertThat(e.event.offset).isEqualTo(42L);
    }

    @Test
    void everyKindOfBadRecordBecomesADeadLetterWithItsReason() {
        assertThat(reason("garbage that is not avro".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DeadLetter.UNDECODABLE);
        assertThat(reason(new byte[0])).isEqualTo(DeadLetter.EMPTY_VALUE);
        byte[] truncated = WireFormat.encode(reading("p", NOW, Map.of("pressure", 1.0, "temperature", 2.0)));
        assertThat(reason(java.util.Arrays.copyOf(truncated, truncated.length - 9)))
                .isEqualTo(DeadLetter.UNDECODABLE);
        assertThat(reason(foreignSchema())).isEqualTo(DeadLetter.UNKNOWN_SCHEMA);
        assertThat(reason(WireFormat.encode(reading("", NOW, Map.of("pressure", 1.0, "temperature", 2.0)))))
                .isEqualTo(DeadLetter.EMPTY_ENTITY);
        assertThat(reason(WireFormat.encode(
                        reading("p", NOW.plus(Duration.ofHours(2)), Map.of("pressure", 1.0, "temperature", 2.0)))))
                .isEqualTo(DeadLetter.BAD_TIMESTAMP);
        assertThat(reason(WireFormat.encode(
                        reading("p", Instant.ofEpochMilli(-5), Map.of("pressure", 1.0, "temperature", 2.0)))))
                .isEqualTo(DeadLetter.BAD_TIMESTAMP);
        assertThat(reason(WireFormat.encode(reading("p", NOW, Map.of("pressure", 1.0)))))
                .isEqualTo(DeadLetter.MISSING_CHANNEL);
        assertThat(reason(WireFormat.encode(reading("p", NOW, Map.of("pressure", Double.NaN, "temperature", 2.0)))))
                .isEqualTo(DeadLetter.INVALID_VALUE);
    }

    @Test
    void aDeadLetterKeepsTheOriginalBytesAndWhereTheyCameFrom() {
        byte[] garbage = {1, 2, 3, 4};
        Envelope e = decoder.decode("k".getBytes(StandardCharsets.UTF_8), garbage, "vigil-readings", 3, 77, 99);

        assertThat(e.isEvent()).isFalse();
        assertThat(e.deadLetter.value).isEqualTo(garbage);
        assertThat(e.deadLetter.key).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(e.deadLetter.detail).contains("not Avro single-object encoded");
        assertThat(e.deadLetter.topic).isEqualTo("vigil-readings");
        assertThat(e.deadLetter.partition).isEqualTo(3);
        assertThat(e.deadLetter.offset).isEqualTo(77);
    }

    private Envelope decode(SensorReading r) {
        return decoder.decode(null, WireFormat.encode(r), "t", 0, 42, 1234L);
    }

    private String reason(byte[] value) {
        Envelope e = decoder.decode(null, value, "t", 0, 1, 1);
        assertThat(e.isEvent()).isFalse();
        return e.deadLetter.reason;
    }

    private static SensorReading reading(String entity, Instant time, Map<String, Double> values) {
        return SensorReading.newBuilder()
                .setEntityId(entity)
                .setEventTime(time)
                .setValues(Map.copyOf(values))
                .build();
    }

    private static byte[] foreignSchema() {
        Schema other = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Elsewhere\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}");
        GenericRecord r = new GenericData.Record(other);
        r.put("a", 1L);
        try {
            java.nio.ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(r);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
