package io.vigil.job.operator;

import io.vigil.job.model.ModelSource;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleBytes;
import java.io.Serializable;
import java.time.Duration;

/**
 * What the scoring operator needs to know, fixed at submission.
 *
 * @param source the model store and model id
 * @param version the version to start with (a restore uses the version in the checkpoint instead)
 * @param features the feature list the decoder vectorises to; a new model must have the same
 * @param scorer engine, batch size, and overrides of the bundle's scoring and alert settings
 * @param stateTtl event-time silence after which a key's state is dropped
 * @param emitScores whether to emit one score per event
 * @param initialBundle the files of {@code version}, read and verified at submission, so that a fresh
 *     start does not depend on the store; null: read the store when the job starts
 * @param outOfOrderness the watermarks' out-of-orderness bound: a reading this far behind its Kafka
 *     partition's latest one is scored without waiting for the other partitions (see
 *     {@link HeldReadings}); null: only the job's watermark releases readings
 * @param records what the operator writes for the stream's events (sensor readings unless said)
 */
public record ScoringSettings(
        ModelSource source,
        String version,
        FeatureSpec features,
        Scorer.Settings scorer,
        Duration stateTtl,
        boolean emitScores,
        BundleBytes initialBundle,
        Duration outOfOrderness,
        EventRecords records)
        implements Serializable {

    /** Settings of a sensor stream that read the model from the store when the job starts, released by the job's watermark alone. */
    public ScoringSettings(
            ModelSource source,
            String version,
            FeatureSpec features,
            Scorer.Settings scorer,
            Duration stateTtl,
            boolean emitScores) {
        this(source, version, features, scorer, stateTtl, emitScores, null, null, SensorRecords.INSTANCE);
    }

    /** The same settings with each partition's events released by its own progress, {@code bound} behind. */
    public ScoringSettings withOutOfOrderness(Duration bound) {
        return new ScoringSettings(
                source, version, features, scorer, stateTtl, emitScores, initialBundle, bound, records);
    }

    /** The same settings for another stream's events. */
    public ScoringSettings withRecords(EventRecords other) {
        return new ScoringSettings(
                source, version, features, scorer, stateTtl, emitScores, initialBundle, outOfOrderness, other);
    }
}
