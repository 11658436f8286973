package io.vigil.job.scoring;

import io.vigil.job.model.ModelSource;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.Scorer;
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
 * @param records what the operator writes for the stream's events (sensor readings unless said)
 */
public record ScoringSettings(
        ModelSource source,
        String version,
        FeatureSpec features,
        Scorer.Settings scorer,
        Duration stateTtl,
        boolean emitScores,
        EventRecords records)
        implements Serializable {

    /** The settings of a sensor stream. */
    public ScoringSettings(ModelSource source, String version, FeatureSpec features, Scorer.Settings scorer,
            Duration stateTtl, boolean emitScores) {
        this(source, version, features, scorer, stateTtl, emitScores, SensorRecords.INSTANCE);
    }
}
