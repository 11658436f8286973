package io.vigil.job.operator;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.SensorEvent;
import io.vigil.schemas.AlertStatus;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import java.io.Serializable;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * What the scoring operator writes for one kind of stream, and how it holds its events: sensor readings
 * ({@link SensorRecords}) or the feature vectors of transactions (their own records, with the
 * transaction's id and the explanation in words). The scoring itself is the same for both.
 */
public interface EventRecords extends Serializable {

    /** An OPEN, UPDATE or RESOLVED record of the key's alert at event {@code e}. */
    KafkaMessage alert(
            String key, KeyState s, ScoreView v, SensorEvent e, AlertStatus status, String resolution, long now);

    /** The resolve of an alert still open when its key's state expires. */
    KafkaMessage expired(String key, KeyState s, long eventTime, long now, String modelId, String version);

    /** The score record of event {@code e}. */
    KafkaMessage score(String key, ScoreView v, SensorEvent e, long now);

    /** The dead letter of an event behind its key's latest scored one. */
    DeadLetter late(SensorEvent e, long keyAt, long watermark, FeatureSpec features);

    /** How held events are written to keyed state. */
    TypeSerializer<SensorEvent> eventSerializer();

    /**
     * Whether events of one key at the same event time are all scored, in the order they arrive (a
     * transaction stream, where an account may pay twice in a millisecond); otherwise the second is a
     * duplicate reading and dead-lettered as late.
     */
    boolean sameTimeInOrder();

    /**
     * Whether each key's events reach the scoring operator already in the order they are scored in, each
     * at or before the watermark that follows it: a stream whose upstream keyed step holds the events for
     * the watermark itself and releases them in order (the transaction pipeline's account step). The
     * scoring operator then scores them as they arrive, in batches as ever, instead of holding them for the
     * watermark a second time; otherwise (sensor readings, straight from the source) it holds them.
     */
    default boolean arriveInOrder() {
        return false;
    }
}
