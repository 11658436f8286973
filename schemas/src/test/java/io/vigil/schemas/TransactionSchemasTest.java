package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** The transaction stream's records: what they carry, and that records of earlier versions still read. */
class TransactionSchemasTest {

    @Test
    void aTransactionWithoutTheOptionalFieldsRoundTrips() throws Exception {
        Transaction tx = Transaction.newBuilder()
                .setTransactionId("t-1")
                .setAccountId("acc-1")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setAmount(12.5)
                .setCurrency("EUR")
                .setMerchantId("m-1")
                .build();

        Transaction back = WireFormat.decoder(Transaction.class).decode(WireFormat.encode(tx));

        assertThat(back).isEqualTo(tx);
        assertThat(back.getCountry()).isNull();
        assertThat(back.getMerchantCategory()).isNull();
        assertThat(back.getChannel()).isNull();
    }

    @Test
    void aTransactionOfVersionOneStillReads() throws Exception {
        Schema v1 = WireFormat.history("io.vigil.schemas.Transaction").get(0);
        GenericRecord old = new GenericData.Record(v1);
        old.put("transactionId", "t-9");
        old.put("accountId", "acc-9");
        old.put("eventTime", 5L);
        old.put("amount", 3.25);
        old.put("currency", "USD");
        old.put("merchantId", "m-3");
        old.put("merchantCategory", "5411");
        old.put("channel", "pos");
        old.put("country", "US");
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        Transaction read = WireFormat.decoder(Transaction.class).decode(bytes);

        assertThat(read.getTransactionId()).isEqualTo("t-9");
        assertThat(read.getAmount()).isEqualTo(3.25);
        assertThat(read.getCountry()).isEqualTo("US");
        assertThat(read.getMerchantCategory()).isEqualTo("5411");
    }

    @Test
    void alertsAndScoresOfTheVersionBeforeReadWithoutAnEventIdOrExplanation() throws Exception {
        Schema alertV2 = WireFormat.history("io.vigil.schemas.Alert").get(1);
        assertThat(alertV2.getField("eventId")).isNull();
        GenericRecord old = new GenericData.Record(alertV2);
        for (Schema.Field f : alertV2.getFields()) {
            if (f.hasDefaultValue()) {
                old.put(f.name(), GenericData.get().getDefaultValue(f));
            }
        }
        old.put("alertId", "a-1");
        old.put("entityId", "pump-1");
        old.put("eventTime", 10L);
        old.put("detectionTime", 11L);
        old.put("score", 0.5);
        old.put(
                "streamKind",
                new GenericData.EnumSymbol(alertV2.getField("streamKind").schema(), "SENSOR"));
        old.put(
                "firedBy",
                new GenericData.EnumSymbol(alertV2.getField("firedBy").schema(), "LSTM"));
        old.put(
                "severity",
                new GenericData.EnumSymbol(alertV2.getField("severity").schema(), "LOW"));
        old.put("threshold", 0.375);
        old.put("lstmError", 1.0);
        old.put("aeError", 2.0);
        old.put("channels", List.of());
        old.put("topFeatures", List.of());
        old.put("modelId", "m");
        old.put("modelVersion", "v");
        Alert read = WireFormat.decoder(Alert.class)
                .decode(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), alertV2).encode(old));
        assertThat(read.getAlertId()).isEqualTo("a-1");
        assertThat(read.getEventId()).isNull();
        assertThat(read.getExplanation()).isEmpty();

        Schema scoreV2 = WireFormat.history("io.vigil.schemas.EventScore").get(1);
        assertThat(scoreV2.getField("surprise")).isNotNull();
        assertThat(scoreV2.getField("eventId")).isNull();
    }

    @Test
    void aConfirmedLabelRoundTrips() throws Exception {
        ConfirmedLabel label = ConfirmedLabel.newBuilder()
                .setTransactionId("t-1")
                .setMerchantId("m-1")
                .setFraud(true)
                .setConfirmedAt(Instant.ofEpochMilli(99L))
                .build();
        assertThat(WireFormat.decoder(ConfirmedLabel.class).decode(WireFormat.encode(label)))
                .isEqualTo(label);
    }
}
