package io.vigil.job.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.job.config.JobConfig;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.SensorEvent;
import io.vigil.schemas.ConfirmedLabel;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.transactions.AccountState;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.MerchantRisk;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The transaction pipeline's parts: decoding with reasons, records and state through their serializers, lateness, options. */
class TransactionJobPartsTest {

    static final long T0 = 1_767_571_200_000L;
    private final TransactionDecoder decoder = new TransactionDecoder(
            Duration.ofHours(1), Clock.fixed(Instant.ofEpochMilli(T0 + 86_400_000L * 100), ZoneOffset.UTC));

    private static byte[] tx(String account, double amount, long time, String merchant) {
        return WireFormat.encode(Transaction.newBuilder()
                .setTransactionId("t-1")
                .setAccountId(account)
                .setEventTime(Instant.ofEpochMilli(time))
                .setAmount(amount)
                .setCurrency("EUR")
                .setMerchantId(merchant)
                .setCountry("DE")
                .build());
    }

    private String reason(byte[] value) {
        TransactionEnvelope e = decoder.transaction(null, value, "tx", 0, 7, 5);
        return e.deadLetter == null ? null : e.deadLetter.reason;
    }

    @Test
    void everyBadTransactionIsDeadLetteredWithItsReason() {
        assertThat(reason(tx("acc-1", 12.5, T0, "m-1"))).isNull();
        assertThat(reason(tx("", 12.5, T0, "m-1"))).isEqualTo(DeadLetter.EMPTY_ENTITY);
        assertThat(reason(tx("acc-1", -1, T0, "m-1"))).isEqualTo(DeadLetter.INVALID_VALUE);
        assertThat(reason(tx("acc-1", Double.NaN, T0, "m-1"))).isEqualTo(DeadLetter.INVALID_VALUE);
        assertThat(reason(tx("acc-1", Double.POSITIVE_INFINITY, T0, "m-1"))).isEqualTo(DeadLetter.INVALID_VALUE);
        assertThat(reason(tx("acc-1", 1, 0, "m-1"))).isEqualTo(DeadLetter.BAD_TIMESTAMP);
        assertThat(reason(tx("acc-1", 1, T0 + 86_400_000L * 200, "m-1"))).isEqualTo(DeadLetter.BAD_TIMESTAMP);
        assertThat(reason(tx("acc-1", 1, T0, " "))).isEqualTo(DeadLetter.MISSING_FIELD);
        assertThat(reason("garbage".getBytes(StandardCharsets.UTF_8))).isEqualTo(DeadLetter.UNDECODABLE);
        assertThat(reason(new byte[0])).isEqualTo(DeadLetter.EMPTY_VALUE);
        TransactionEnvelope bad =
                decoder.transaction("k".getBytes(StandardCharsets.UTF_8), tx("acc-1", -3, T0, "m"), "tx", 2, 9, 5);
        assertThat(bad.deadLetter.detail).contains("amount -3.0 is not a finite, non-negative number");
        assertThat(bad.deadLetter.partition).isEqualTo(2);
        assertThat(bad.deadLetter.offset).isEqualTo(9);

        byte[] label = WireFormat.encode(ConfirmedLabel.newBuilder()
                .setTransactionId("t-1")
                .setMerchantId("m-1")
                .setFraud(true)
                .setConfirmedAt(Instant.ofEpochMilli(T0))
                .build());
        assertThat(decoder.label(null, label, "labels", 0, 0, 0).confirmation)
                .isEqualTo(new Confirmation("t-1", "m-1", true, T0));
        byte[] noMerchant = WireFormat.encode(ConfirmedLabel.newBuilder()
                .setTransactionId("t-1")
                .setMerchantId("")
                .setFraud(true)
                .setConfirmedAt(Instant.ofEpochMilli(T0))
                .build());
        assertThat(decoder.label(null, noMerchant, "labels", 0, 0, 0).deadLetter.reason)
                .isEqualTo(DeadLetter.MISSING_FIELD);
    }

    private static <T> T roundTrip(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        T back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        DataOutputSerializer again = new DataOutputSerializer(64);
        s.serialize(back, again);
        assertThat(again.getCopyOfBuffer()).as("written again, the same bytes").isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    @Test
    void anAccountsFeatureStateHasOneSizeWhateverItsHistory() throws Exception {
        TransactionFeatures features = TransactionFeatures.create(false);
        double[] row = new double[features.size()];
        AccountState quiet = new AccountState();
        features.next(
                quiet, new TransactionEvent("t-0", "acc-1", T0, 10, "EUR", "m-0", "DE", "5411", "pos"), null, row);
        // a busy account: 20,000 transactions over 100 days at 5,000 merchants in 40 countries
        AccountState busy = new AccountState();
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            features.next(
                    busy,
                    new TransactionEvent(
                            "t-" + i,
                            "acc-2",
                            T0 + i * 432_000L,
                            1 + 500 * r.nextDouble(),
                            "EUR",
                            "m-" + r.nextInt(5000),
                            "C" + r.nextInt(40),
                            "5411",
                            "pos"),
                    null,
                    row);
        }
        int quietBytes = serializedSize(new TransactionSerializers.Account(), quiet);
        int busyBytes = serializedSize(new TransactionSerializers.Account(), busy);
        // bounded by construction: the last 16 times and 32 amounts, 66 time buckets (5 min, hour, day), the 24
        // most recent merchants and 8 countries; 1,213 bytes with its frame
        assertThat(busyBytes).isEqualTo(quietBytes).isEqualTo(1213);
    }

    private static <T> int serializedSize(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return out.length();
    }

    @Test
    void recordsAndStateSurviveTheirSerializers() throws Exception {
        TransactionEvent tx = new TransactionEvent("t-9", "acc-2", T0, 19.99, "EUR", "m-4", null, "5411", "pos");
        InboundTransaction in = new InboundTransaction(tx, 123, 3, 456);
        in.risk = new MerchantRisk.Reading(0.25, 7);
        InboundTransaction back = roundTrip(new TransactionSerializers.Inbound(), in);
        assertThat(back.tx).isEqualTo(tx);
        assertThat(back.risk).isEqualTo(in.risk);
        assertThat(back.ingestTime).isEqualTo(123);
        assertThat(back.offset).isEqualTo(456);

        FeaturedTransaction f = new FeaturedTransaction(in, new double[] {1, 2.5});
        SensorEvent fb = roundTrip(new TransactionSerializers.Featured(), f);
        assertThat(((FeaturedTransaction) fb).tx).isEqualTo(tx);
        assertThat(fb.values).containsExactly(1, 2.5);
        assertThat(fb.entityId).isEqualTo("acc-2");
        assertThat(fb.eventTime).isEqualTo(T0);

        AccountState s = new AccountState();
        TransactionFeatures features = TransactionFeatures.create(false);
        for (int i = 0; i < 40; i++) {
            features.next(
                    s,
                    new TransactionEvent("t" + i, "acc-2", T0 + i * 3_600_000L, i, "EUR", "m-" + i, "DE", null, null),
                    null,
                    new double[features.size()]);
        }
        AccountState sb = roundTrip(new TransactionSerializers.Account(), s);
        double[] a = new double[features.size()];
        double[] b = new double[features.size()];
        TransactionEvent next =
                new TransactionEvent("t-next", "acc-2", T0 + 41 * 3_600_000L, 77, "EUR", "m-3", "FR", null, null);
        features.next(s, next, null, a);
        features.next(sb, next, null, b);
        assertThat(b).as("the restored state computes what the original does").containsExactly(a);

        MerchantRisk.State m = new MerchantRisk.State();
        MerchantRisk.process(
                m, List.of(MerchantRisk.of(new Confirmation("x", "m", true, T0)), MerchantRisk.of(tx)), (t, r) -> {});
        MerchantRisk.State mb = roundTrip(new TransactionSerializers.Merchant(), m);
        assertThat(mb.lastTime).isEqualTo(m.lastTime);
        assertThat(mb.frauds.counts).containsExactly(m.frauds.counts);

        Confirmation c = roundTrip(new TransactionSerializers.Confirmed(), new Confirmation("t", "m", true, 9));
        assertThat(c).isEqualTo(new Confirmation("t", "m", true, 9));
        assertThat(roundTrip(new TransactionSerializers.Item(), MerchantItem.of(c)).confirmation)
                .isEqualTo(c);
        TransactionEnvelope dead = roundTrip(
                new TransactionSerializers.Envelope(),
                TransactionEnvelope.dead(
                        new DeadLetter(new byte[] {1}, new byte[] {2, 3}, "late", "detail", "tx", 1, 2, 3)));
        assertThat(dead.deadLetter.value).containsExactly(2, 3);
        assertThat(dead.deadLetter.detail).isEqualTo("detail");
    }

    @Test
    void aTransactionLaterThanTheWatermarksWaitIsDeadLetteredNotMixedIn() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new AccountFeatureOperator(false), (InboundTransaction i) -> i.tx.accountId(), Types.STRING);
        harness.open();
        TransactionEvent first = new TransactionEvent("a", "acc", T0 + 10_000, 5, "EUR", "m", "DE", null, null);
        TransactionEvent behind = new TransactionEvent("b", "acc", T0 + 5_000, 5, "EUR", "m", "DE", null, null);
        harness.processElement(new StreamRecord<>(new InboundTransaction(first, 0, 0, 1), first.eventTime()));
        harness.processWatermark(new Watermark(T0 + 20_000));
        harness.processElement(new StreamRecord<>(new InboundTransaction(behind, 0, 0, 2), behind.eventTime()));
        harness.processWatermark(new Watermark(T0 + 30_000));

        assertThat(harness.extractOutputValues()).hasSize(1);
        var late = harness.getSideOutput(AccountFeatureOperator.LATE);
        assertThat(late).hasSize(1);
        DeadLetter d = late.peek().getValue();
        assertThat(d.reason).isEqualTo(DeadLetter.LATE);
        assertThat(d.detail).contains("raise watermark.out-of-orderness");
        assertThat(WireFormat.decoder(Transaction.class).decode(d.value).getTransactionId())
                .isEqualTo("b");
        harness.close();
    }

    private static final Map<String, String> BASE = Map.of("kafka.bootstrap-servers", "h:1", "model.store", "/m");

    @Test
    void theJobRunsSensorsTransactionsOrBothAsConfigured() {
        JobConfig sensors = JobConfig.fromMap(merge(BASE, Map.of("model.id", "s")));
        assertThat(sensors.sensors()).isTrue();
        assertThat(sensors.transactions()).isNull();

        JobConfig tx =
                JobConfig.fromMap(merge(BASE, Map.of("streams", "transactions", "transactions.model.id", "cards")));
        assertThat(tx.sensors()).isFalse();
        assertThat(tx.transactions().modelId()).isEqualTo("cards");
        assertThat(tx.transactions().inputTopic()).isEqualTo("vigil-transactions");
        assertThat(tx.transactions().alertsTopic()).isEqualTo("vigil-transaction-alerts");
        assertThat(tx.transactions().deadLetterTopic()).isEqualTo("vigil-transaction-dead-letter");
        assertThat(tx.transactions().labels()).isFalse();
        assertThat(tx.transactions().emitScores()).isFalse();

        JobConfig both = JobConfig.fromMap(merge(
                BASE,
                Map.of(
                        "streams",
                        "sensors,transactions",
                        "model.id",
                        "s",
                        "transactions.model.id",
                        "cards",
                        "transactions.topic.labels",
                        "labels")));
        assertThat(both.sensors()).isTrue();
        assertThat(both.transactions().labels()).isTrue();
        assertThat(io.vigil.job.VigilJob.jobName(both))
                .isEqualTo("Vigil: s on vigil-readings, cards on vigil-transactions");

        assertThatThrownBy(() -> JobConfig.fromMap(merge(BASE, Map.of("streams", "transactions"))))
                .hasMessageStartingWith("Missing required option --transactions.model.id");
        assertThatThrownBy(() -> JobConfig.fromMap(merge(BASE, Map.of("streams", "payments", "model.id", "s"))))
                .hasMessageContaining("names 'payments'; use sensors, transactions, or sensors,transactions");
        assertThatThrownBy(
                        () -> JobConfig.fromMap(merge(BASE, Map.of("model.id", "s", "transactions.topic.inptu", "x"))))
                .hasMessageContaining("did you mean --transactions.topic.input");
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }
}
