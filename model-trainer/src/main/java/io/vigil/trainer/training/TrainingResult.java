package io.vigil.trainer.training;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleWriter;
import io.vigil.trainer.evaluation.EvaluationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A finished training run: the bundle draft (networks + calibrated manifest with its training summary
 * and metrics), how each network's training went, and the evaluation reports behind the metrics.
 *
 * @param keyModels per entity that got its own models, how its networks trained
 * @param skippedKeys entities that qualified for their own model but use the global one, with the reason
 * @param validationReport the calibrated model on the labelled validation rows, or null when unlabelled
 * @param evaluationReport the calibrated model on the {@code evaluateOn} history, or null when none was given
 */
public record TrainingResult(
        BundleWriter.Draft draft,
        int validationEvents,
        EarlyStoppingFit.Result lstm,
        EarlyStoppingFit.Result autoencoder,
        Map<String, KeyFit> keyModels,
        Map<String, String> skippedKeys,
        EvaluationReport validationReport,
        EvaluationReport evaluationReport,
        double seconds) {

    /** How one per-key model trained. */
    public record KeyFit(
            EarlyStoppingFit.Result lstm,
            EarlyStoppingFit.Result autoencoder,
            double threshold,
            int validationEvents) {}

    public TrainingResult {
        keyModels = Map.copyOf(keyModels);
        skippedKeys = Map.copyOf(skippedKeys);
    }

    public BundleManifest manifest() {
        return draft.manifest();
    }

    /** The global model's alert threshold, as a surprise (one event this surprising opens an alert). */
    public double threshold() {
        return draft.manifest().alert().threshold();
    }

    /** The same as a score in [0, 1). */
    public double scoreThreshold() {
        return draft.manifest().alert().scoreThreshold();
    }

    public Optional<EvaluationReport> validation() {
        return Optional.ofNullable(validationReport);
    }

    public Optional<EvaluationReport> evaluation() {
        return Optional.ofNullable(evaluationReport);
    }

    /**
     * Writes the bundle into {@code dir} (empty or absent) and returns the SHA-256 of its manifest.
     *
     * @throws IOException if {@code dir} is not empty or cannot be written
     */
    public String writeTo(Path dir) throws IOException {
        return BundleWriter.write(dir, draft);
    }
}
