package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void sensorReadingRoundTripsWithSchemaFingerprint() throws Exception {
        SensorReading reading = SensorReading.newBuilder()
                .setEntityId("pump-7")
                .setEventTime(java.time.Instant.ofEpochMilli(1_700_000_000_123L))
                .setValues(Map.of("pressure", 1.25, "temperature", 71.5))
                .setTags(Map.of("site", "north"))
                .build();

        byte[] bytes = WireFormat.encode(reading);

        assertThat(bytes[0]).isEqualTo(WireFormat.MARKER_0);
        assertThat(bytes[1]).isEqualTo(WireFormat.MARKER_1);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        assertThat(fingerprint).isEqualTo(WireFormat.fingerprint(SensorReading.getClassSchema()));
        assertThat(WireFormat.decoder(SensorReading.class).decode(bytes)).isEqualTo(reading);
    }

    @Test
    void everyContractRecordRoundTrips() throws Exception {
        Transaction tx = Transaction.newBuilder()
                .setTransactionId("t-1")
                .setAccountId("acc-9")
                .setEventTime(java.time.Instant.ofEpochMilli(5L))
                .setAmount(12.5)
                .setCurrency("EUR")
                .setMerchantId("m-3")
                .setMerchantCategory("5411")
                .setChannel("pos")
                .setCountry("DE")
                .build();
        Alert alert = Alert.newBuilder()
                .setAlertId("a-1")
                .setEntityId("pump-7")
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(AlertStatus.OPEN)
                .setEventTime(java.time.Instant.ofEpochMilli(10L))
                .setDetectionTime(java.time.Instant.ofEpochMilli(11L))
                .setOpenedAt(java.time.Instant.ofEpochMilli(10L))
                .setScore(0.97)
                .setPeakScore(0.97)
                .setSeverity(Severity.HIGH)
                .setThreshold(0.9)
                .setThresholdKind("fixed")
                .setLstmError(3.5)
                .setAeError(1.5)
                .setFiredBy(FiredBy.LSTM)
                .setChannels(List.of(
                        new ChannelDetail("pressure", 1.0, 4.0, 0.8),
                        new ChannelDetail("temperature", 70.0, 70.5, 0.2)))
                .setTopFeatures(List.of("pressure"))
                .setAnomalousEvents(1)
                .setModelId("sensors")
                .setModelVersion("v3")
                .setIngestTime(java.time.Instant.ofEpochMilli(9L))
                .build();
        EventScore score = EventScore.newBuilder()
                .setEntityId("pump-7")
                .setEventTime(java.time.Instant.ofEpochMilli(10L))
                .setScore(0.2)
                .setLstmError(0.1)
                .setAeError(0.2)
                .setThreshold(0.9)
                .setAnomalous(false)
                .setWarm(true)
                .setModelId("sensors")
                .setModelVersion("v3")
                .setIngestTime(java.time.Instant.ofEpochMilli(9L))
                .build();
        ModelAnnouncement announcement = ModelAnnouncement.newBuilder()
                .setModelId("sensors")
                .setVersion("v3")
                .setUri("file:///models/sensors/v3")
                .setManifestSha256("ab".repeat(32))
                .setFormatVersion(1)
                .setPublishedAt(java.time.Instant.ofEpochMilli(1L))
                .build();

        assertThat(WireFormat.decoder(Transaction.class).decode(WireFormat.encode(tx)))
                .isEqualTo(tx);
        assertThat(WireFormat.decoder(Alert.class).decode(WireFormat.encode(alert)))
                .isEqualTo(alert);
        assertThat(WireFormat.decoder(EventScore.class).decode(WireFormat.encode(score)))
                .isEqualTo(score);
        assertThat(WireFormat.decoder(ModelAnnouncement.class).decode(WireFormat.encode(announcement)))
                .isEqualTo(announcement);
    }

    @Test
    void readingWrittenWithVersionOneStillReadsWithEmptyTags() throws Exception {
        Schema v1 = WireFormat.history("io.vigil.schemas.SensorReading").get(0);
        assertThat(v1.getField("tags")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("entityId", "pump-1");
        old.put("eventTime", 42L);
        old.put("values", Map.of("pressure", 2.0));
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        SensorReading read = WireFormat.decoder(SensorReading.class).decode(bytes);

        assertThat(read.getEntityId()).isEqualTo("pump-1");
        assertThat(read.getEventTime().toEpochMilli()).isEqualTo(42L);
        assertThat(read.getValues()).containsExactly(Map.entry("pressure", 2.0));
        assertThat(read.getTags()).isEmpty();
        assertThat(WireFormat.fingerprint(v1)).isNotEqualTo(WireFormat.fingerprint(SensorReading.getClassSchema()));
    }

    @Test
    void garbageAndUnknownSchemasAreRefusedWithDistinctErrors() {
        byte[] garbage = "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireFormat.decoder(SensorReading.class).decode(garbage))
                .isInstanceOf(BadHeaderException.class);

        Schema unknown = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord other = new GenericData.Record(unknown);
        other.put("x", 1);
        assertThatThrownBy(() -> WireFormat.decoder(SensorReading.class)
                        .decode(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), unknown).encode(other)))
                .isInstanceOf(MissingSchemaException.class);
    }
}
