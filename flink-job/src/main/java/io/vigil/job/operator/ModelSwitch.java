package io.vigil.job.operator;

import io.vigil.job.io.ModelUpdate;
import io.vigil.job.model.ModelSource;
import io.vigil.scoring.bundle.BundleBytes;
import io.vigil.scoring.bundle.ScoringModel;

/**
 * Which model the scoring operator runs, and the decision to swap it: the model it starts with (the
 * copy in its checkpoint, else the one the submission verified, else the configured version from the
 * store) and each announced new version, loaded and verified before it is taken. A new version must be
 * of the job's model id and decode the same features. It keeps a copy of the files of the model in
 * use, which the operator writes into its checkpoints: a restart never needs the store, so a store that
 * is unreadable or half-written then cannot stop the job from scoring.
 */
final class ModelSwitch {

    private final ScoringSettings settings;
    private final ModelSource source;
    private String currentUri;
    private BundleBytes currentCopy;
    private String startedFrom;

    ModelSwitch(ScoringSettings settings) {
        this.settings = settings;
        this.source = settings.source();
    }

    /**
     * The model to start with: the copy kept in the checkpoint ({@code restoredCopy}), else the bundle
     * the checkpoint names ({@code restoredUri}, a checkpoint without a copy), else the one the
     * submission verified, else the configured version from the store.
     */
    ScoringModel initial(String restoredUri, BundleBytes restoredCopy) {
        ScoringModel model;
        if (restoredCopy != null) {
            currentUri = restoredCopy.location();
            currentCopy = restoredCopy;
            model = ModelSource.load(restoredCopy);
            startedFrom = "the copy in the checkpoint";
        } else if (restoredUri != null) {
            currentUri = restoredUri;
            model = take(ModelSource.load(restoredUri, null));
            startedFrom = "the store (the checkpoint names it)";
        } else if (settings.initialBundle() != null) {
            currentUri = source.uriOf(settings.version());
            currentCopy = settings.initialBundle();
            model = ModelSource.load(currentCopy);
            startedFrom = "the copy verified at submission";
        } else {
            currentUri = source.uriOf(settings.version());
            model = take(source.load(settings.version()));
            startedFrom = "the store";
        }
        checkFeatures(model);
        return model;
    }

    private ScoringModel take(ModelSource.Loaded loaded) {
        currentCopy = loaded.copy();
        return loaded.model();
    }

    /** The files of the model in use, as verified when it was taken. */
    BundleBytes currentCopy() {
        return currentCopy;
    }

    /** Where {@link #initial} took the model from, for the log. */
    String startedFrom() {
        return startedFrom;
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
        ModelSource.Loaded loaded = ModelSource.load(update.uri, update.manifestSha256);
        ScoringModel next = loaded.model();
        if (!next.modelId().equals(update.modelId) || !next.version().equals(update.version)) {
            throw new IllegalStateException("the bundle at " + update.uri + " is " + next.modelId() + "/"
                    + next.version() + ", not the announced " + update.modelId + "/" + update.version);
        }
        checkFeatures(next);
        currentUri = update.uri;
        currentCopy = loaded.copy();
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
