package io.vigil.job.transactions;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.operator.EventRecords;
import io.vigil.job.operator.OutputRecords;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.StreamKind;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import io.vigil.scoring.transactions.Explanation;
import io.vigil.scoring.transactions.TransactionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * What the scoring operator writes for transactions: the same alert and score records as for sensors,
 * of stream kind TRANSACTION, naming the transaction ({@code eventId}) and, for alerts, saying in words
 * what drove it ({@link Explanation}); and the dead letter of a transaction that came too late, as the
 * original transaction.
 */
public final class TransactionRecords implements EventRecords {

    private static final long serialVersionUID = 1L;

    public static final TransactionRecords INSTANCE = new TransactionRecords();

    private TransactionRecords() {}

    @Override
    public KafkaMessage alert(
            String key, KeyState s, ScoreView v, SensorEvent e, AlertStatus status, String resolution, long now) {
        TransactionEvent tx = ((FeaturedTransaction) e).tx;
        List<String> explanation = status == AlertStatus.RESOLVED ? List.of() : Explanation.of(v, tx);
        return OutputRecords.alert(
                key,
                s,
                v,
                status,
                resolution,
                e.eventTime,
                e.ingestTime,
                now,
                StreamKind.TRANSACTION,
                tx.transactionId(),
                explanation);
    }

    @Override
    public KafkaMessage expired(String key, KeyState s, long eventTime, long now, String modelId, String version) {
        return OutputRecords.expired(key, s, eventTime, now, modelId, version, StreamKind.TRANSACTION);
    }

    @Override
    public KafkaMessage score(String key, ScoreView v, SensorEvent e, long now) {
        return OutputRecords.score(
                key, v, e.eventTime, e.ingestTime, now, ((FeaturedTransaction) e).tx.transactionId());
    }

    @Override
    public DeadLetter late(SensorEvent e, long keyAt, long watermark, FeatureSpec features) {
        FeaturedTransaction f = (FeaturedTransaction) e;
        return late(new InboundTransaction(f.tx, f.ingestTime, f.partition, f.offset), keyAt, watermark, "its account");
    }

    @Override
    public TypeSerializer<SensorEvent> eventSerializer() {
        return new TransactionSerializers.Featured();
    }

    @Override
    public boolean sameTimeInOrder() {
        return true;
    }

    /** The account step releases each account's transactions at the watermark, in order, with their features. */
    @Override
    public boolean arriveInOrder() {
        return true;
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** A transaction behind what {@code whose} (its account or merchant) has taken in: dead-lettered as itself. */
    static DeadLetter late(InboundTransaction in, long keyAt, long watermark, String whose) {
        TransactionEvent t = in.tx;
        return new DeadLetter(
                t.accountId().getBytes(StandardCharsets.UTF_8),
                WireFormat.encode(t.toAvro()),
                DeadLetter.LATE,
                "event time " + Instant.ofEpochMilli(t.eventTime()) + " is before "
                        + Instant.ofEpochMilli(keyAt) + ", the latest transaction " + whose + " has already taken into"
                        + " its features (watermark " + Instant.ofEpochMilli(watermark) + "); raise"
                        + " watermark.out-of-orderness to wait longer for late transactions",
                "",
                in.partition,
                in.offset,
                in.ingestTime);
    }
}
