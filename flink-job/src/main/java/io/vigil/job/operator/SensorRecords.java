package io.vigil.job.operator;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.state.SensorEventSerializer;
import io.vigil.schemas.AlertStatus;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.ScoreView;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The records of a sensor stream: {@link OutputRecords}' sensor alerts, scores and late readings. */
public final class SensorRecords implements EventRecords {

    private static final long serialVersionUID = 1L;

    public static final SensorRecords INSTANCE = new SensorRecords();

    private SensorRecords() {}

    @Override
    public KafkaMessage alert(
            String key, KeyState s, ScoreView v, SensorEvent e, AlertStatus status, String resolution, long now) {
        return OutputRecords.alert(key, s, v, status, resolution, e.eventTime, e.ingestTime, now);
    }

    @Override
    public KafkaMessage expired(String key, KeyState s, long eventTime, long now, String modelId, String version) {
        return OutputRecords.expired(key, s, eventTime, now, modelId, version);
    }

    @Override
    public KafkaMessage score(String key, ScoreView v, SensorEvent e, long now) {
        return OutputRecords.score(key, v, e.eventTime, e.ingestTime, now);
    }

    @Override
    public DeadLetter late(SensorEvent e, long keyAt, long watermark, FeatureSpec features) {
        return OutputRecords.late(e, keyAt, watermark, features);
    }

    @Override
    public TypeSerializer<SensorEvent> eventSerializer() {
        return new SensorEventSerializer();
    }

    @Override
    public boolean sameTimeInOrder() {
        return false;
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
