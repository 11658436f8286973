package io.vigil.trainer.evaluation;

import io.vigil.scoring.Replay;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.Surprise;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores labelled history with a model through the shared {@link Scorer}, each entity in time order
 * and all entities batched together (as the job does), and measures the verdicts against the labels.
 *
 * <pre>{@code
 * EvaluationReport report = Evaluator.evaluate(Path.of("bundle"), labelledHistory);
 * report.writeTo(Path.of("evaluation"));   // evaluation.json + scores.csv
 * }</pre>
 */
public final class Evaluator {

    private Evaluator() {}

    /** Loads and verifies the bundle in {@code bundleDir}, then evaluates it on {@code labelled}. */
    public static EvaluationReport evaluate(Path bundleDir, History labelled) {
        return evaluate(BundleReader.read(new LocalBundleFiles(bundleDir), null), labelled, Scorer.Settings.defaults());
    }

    public static EvaluationReport evaluate(ScoringModel model, History labelled, Scorer.Settings settings) {
        return evaluate(model, Map.of(), labelled, new int[labelled.entities()], settings, "evaluation");
    }

    /**
     * The general form the trainer uses before a bundle is written.
     *
     * @param keyModels per-key models not (yet) attached to {@code model}; other keys use {@code model.forKey}
     * @param countFrom per series (in history order), the first row whose event is counted; earlier rows
     *     are scored only to bring the key's state up to date (the trainer counts only validation rows)
     * @param scope what the events are, e.g. {@code validation}, for the report
     */
    public static EvaluationReport evaluate(
            ScoringModel model,
            Map<String, ScoringModel> keyModels,
            History labelled,
            int[] countFrom,
            Scorer.Settings settings,
            String scope) {
        if (!labelled.labelled()) {
            throw new IllegalArgumentException("Evaluation needs labelled history, but " + labelled.unlabelledEntities()
                    + " carry no labels; name the label column with --label-column");
        }
        if (!labelled.features().equals(model.features())) {
            throw new IllegalArgumentException("The history has features " + labelled.features() + " but model "
                    + model.modelId() + "/" + model.version() + " needs " + model.features()
                    + "; choose the columns with --value-columns");
        }
        List<EntitySeries> series = labelled.series();
        Map<ScoringModel, List<Integer>> byModel = new IdentityHashMap<>();
        for (int k = 0; k < series.size(); k++) {
            String entity = series.get(k).entity();
            ScoringModel m = keyModels.getOrDefault(entity, model.forKey(entity));
            byModel.computeIfAbsent(m, x -> new ArrayList<>()).add(k);
        }
        ScoredEvents scored = new ScoredEvents();
        long[] notWarm = new long[1];
        for (Map.Entry<ScoringModel, List<Integer>> group : byModel.entrySet()) {
            score(group.getKey(), series, group.getValue(), countFrom, settings, scored, notWarm);
        }
        double threshold = Surprise.score(settings.lifecycle(model).threshold());
        EvaluationReport.Subject subject = new EvaluationReport.Subject(
                model.modelId(),
                model.version(),
                model.manifestSha256(),
                threshold,
                scope,
                labelled.sources(),
                decisions(model));
        return new EvaluationReport(subject, labelled.features(), series, scored, notWarm[0]);
    }

    /** What the bundle says the trainer decided about the channels, in words. */
    public static String decisions(ScoringModel model) {
        return decisions(model.manifest());
    }

    /** The same, of a manifest. */
    public static String decisions(io.vigil.scoring.bundle.BundleManifest m) {
        List<String> differenced = m.differenced() == null ? List.of() : m.differenced();
        List<String> lower =
                m.scoring().lowerTail() == null ? List.of() : m.scoring().lowerTail();
        return "channels modelled as differences: " + (differenced.isEmpty() ? "none" : String.join(", ", differenced))
                + "; channels whose unusually small errors count: "
                + (lower.isEmpty() ? "none" : String.join(", ", lower));
    }

    private static void score(
            ScoringModel model,
            List<EntitySeries> series,
            List<Integer> members,
            int[] countFrom,
            Scorer.Settings settings,
            ScoredEvents out,
            long[] notWarm) {
        List<String> keys = new ArrayList<>();
        List<double[][]> rows = new ArrayList<>();
        for (int index : members) {
            keys.add(series.get(index).entity());
            rows.add(series.get(index).values());
        }
        try (Scorer scorer = new Scorer(model, settings)) {
            Replay.run(scorer, keys, rows, (k, r, state, view) -> {
                int s = members.get(k);
                if (r < countFrom[s]) {
                    return;
                }
                if (!view.warm()) {
                    notWarm[0]++;
                    return;
                }
                out.add(
                        s,
                        r,
                        view.score(),
                        view.anomalous(),
                        view.transition(),
                        series.get(s).labels()[r]);
            });
        }
    }
}
