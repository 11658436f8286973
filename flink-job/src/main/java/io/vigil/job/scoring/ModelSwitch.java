package io.vigil.job.scoring;

import io.vigil.job.io.ModelUpdate;
import io.vigil.job.model.ModelSource;
import io.vigil.scoring.bundle.ScoringModel;

/**
 * Which model the scoring operator runs, and the decision to swap it: the model it starts with (the one
 * in its checkpoint, or the configured version) and each announced new version, loaded and verified
 * before it is taken. A new version must be of the job's model id and decode the same features.
 */
final class ModelSwitch {

    private final ScoringSettings settings;
    private final ModelSource source;
    private String currentUri;

    ModelSwitch(ScoringSettings settings) {
        this.settings = settings;
        this.source = settings.source();
    }

    /** The model to start with: the one the checkpoint names ({@code restoredUri}), else the configured version. */
    ScoringModel initial(String restoredUri) {
        ScoringModel model;
        if (restoredUri != null) {
            currentUri = restoredUri;
            model = ModelSource.load(restoredUri, null);
        } else {
            currentUri = source.uriOf(settings.version());
            model = source.load(settings.version());
        }
        checkFeatures(model);
        return model;
    }

    /** Where the model in use was loaded from: what a checkpoint records. */
    String currentUri() {
        return currentUri;
    }

    /**
     * The announced model, loaded and verified, when it is a new version of the current one's id; null
     * when the announcement is not for this job or names the version in use.
     *
     * @throws RuntimeException saying why the announced bundle is refused (the current model stays)
     */
    ScoringModel next(ScoringModel current, ModelUpdate update) {
        if (!current.modelId().equals(update.modelId) || current.version().equals(update.version)) {
            return null;
        }
        ScoringModel next = ModelSource.load(update.uri, update.manifestSha256);
        if (!next.modelId().equals(update.modelId) || !next.version().equals(update.version)) {
            throw new IllegalStateException("the bundle at " + update.uri + " is " + next.modelId() + "/"
                    + next.version() + ", not the announced " + update.modelId + "/" + update.version);
        }
        checkFeatures(next);
        currentUri = update.uri;
        return next;
    }

    private void checkFeatures(ScoringModel model) {
        if (!model.features().equals(settings.features())) {
            throw new IllegalStateException("Model " + model.modelId() + "/" + model.version() + " has features "
                    + model.features() + " but this job decodes " + settings.features()
                    + "; a change of features needs a new job");
        }
    }
}
