package io.vigil.trainer.training;

import io.vigil.scoring.Calibrator;
import io.vigil.scoring.Differencing;
import io.vigil.scoring.DirectEvidence;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.Normaliser;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleWriter;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.nn.Architectures;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.evaluation.Evaluator;
import io.vigil.trainer.history.History;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Fits Vigil's two networks on normal history, calibrates them with the shared scorer and drafts a
 * bundle. Per entity the oldest rows train and the newest validate ({@link Partition}); the
 * normaliser is fitted on the training rows of all entities; the LSTM learns to predict x[t+1] from
 * x[<=t] and the autoencoder to reconstruct windows of W vectors, both with early stopping on the
 * validation loss; then {@link Calibrator} sets the error scales, the lower-tail channels and the
 * reference prior from what the real {@link Scorer} makes of the normal validation rows. Which channels
 * are modelled as differences is decided from the fit data too ({@link ChannelForm}), unless given.
 *
 * <pre>{@code
 * TrainingResult r = new Trainer(config, ProgressListener.printingTo(out)).train(history);
 * String sha = r.writeTo(Path.of("bundles/pumps-1"));
 * }</pre>
 */
public final class Trainer {

    private final TrainingConfig config;
    private final ProgressListener progress;
    /** The channels to difference, decided at the start of {@link #train}. */
    private Differencing differencing = Differencing.none();

    private ChannelForm.Decision form;
    /** The history's stream kind, which the bundle's manifest records. */
    private String streamKind = History.SENSOR;

    public Trainer(TrainingConfig config, ProgressListener progress) {
        this.config = config;
        this.progress = progress;
    }

    public TrainingResult train(History history) {
        return train(history, null);
    }

    /**
     * Trains on {@code history} and, when {@code evaluateOn} is given (labelled), also measures the
     * calibrated model on it; both reports' summaries go into the manifest's {@code metrics}.
     */
    public TrainingResult train(History history, History evaluateOn) {
        long started = System.nanoTime();
        if (evaluateOn != null && !evaluateOn.features().equals(history.features())) {
            throw new IllegalArgumentException("The evaluation history has features " + evaluateOn.features()
                    + " but the training history has " + history.features());
        }
        List<Partition> parts = Partition.of(history, config.validationFraction());
        progress.onPhase(String.format(
                Locale.ROOT,
                "history: %d entities, %d rows, %d features; training part %d rows (%d normal), validation part %d rows (%d normal)",
                history.entities(),
                history.rows(),
                history.features().size(),
                parts.stream().mapToInt(Partition::trainRows).sum(),
                parts.stream().mapToInt(Partition::trainNormalRows).sum(),
                parts.stream().mapToInt(Partition::validationRows).sum(),
                parts.stream().mapToInt(Partition::validationNormalRows).sum()));
        String createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        this.form = ChannelForm.decide(history.features(), parts);
        this.differencing = differenced(history.features(), form);
        progress.onPhase("channels modelled as differences: " + (differencing.isNone() ? "none" : differencing)
                + (config.differenced() == null
                        ? " (decided from the fit data: median drift " + form.drift() + ", bound "
                                + ChannelForm.DRIFT_BOUND + ")"
                        : " (given)"));
        this.streamKind = history.streamKind();
        Fitted global = fit("", history.features(), parts, createdAt);
        Map<String, String> skipped = new TreeMap<>();
        Map<String, Fitted> keyFits =
                config.perKeyModels() ? fitKeys(history.features(), parts, createdAt, skipped) : Map.of();

        ScoringModel globalModel = ScoringModel.assemble(global.manifest(), global.lstm(), global.autoencoder());
        Map<String, ScoringModel> keyModels = new TreeMap<>();
        keyFits.forEach((k, f) -> keyModels.put(k, ScoringModel.assemble(f.manifest(), f.lstm(), f.autoencoder())));
        EvaluationReport validation = null;
        if (history.labelled()) {
            // every series is scored from its first row so keys are warm, but only validation rows count
            progress.onPhase("evaluating on the labelled validation rows");
            int[] countFrom = parts.stream().mapToInt(Partition::split).toArray();
            validation = Evaluator.evaluate(
                    globalModel, keyModels, history, countFrom, Scorer.Settings.defaults(), "validation");
        }
        EvaluationReport evaluation = null;
        if (evaluateOn != null) {
            progress.onPhase("evaluating on " + evaluateOn.sources());
            evaluation = Evaluator.evaluate(
                    globalModel,
                    keyModels,
                    evaluateOn,
                    new int[evaluateOn.entities()],
                    Scorer.Settings.defaults(),
                    "evaluation");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        BundleWriter.Draft draft =
                draft(history.sources(), parts, global, keyFits, skipped, metrics(validation, evaluation), seconds);
        Map<String, TrainingResult.KeyFit> keyResults = new TreeMap<>();
        keyFits.forEach((k, f) -> keyResults.put(
                k,
                new TrainingResult.KeyFit(
                        f.lstmFit(), f.aeFit(), f.manifest().alert().threshold(), f.validationEvents())));
        return new TrainingResult(
                draft,
                global.validationEvents(),
                global.lstmFit(),
                global.aeFit(),
                keyResults,
                skipped,
                validation,
                evaluation,
                seconds);
    }

    /** Own models for the entities with enough normal training rows; an entity that cannot have one is noted in {@code skipped}. */
    private Map<String, Fitted> fitKeys(
            FeatureSpec features, List<Partition> parts, String createdAt, Map<String, String> skipped) {
        Map<String, Fitted> fits = new TreeMap<>();
        for (Partition p : parts) {
            String key = p.series().entity();
            if (p.trainNormalRows() < config.perKeyMinRows()) {
                continue;
            }
            try {
                fits.put(key, fit(key, features, List.of(p), createdAt));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // e.g. too little validation data to calibrate this key alone: the global model serves it
                skipped.put(key, e.getMessage());
                progress.onPhase("key " + key + " uses the global model: " + e.getMessage());
            }
        }
        return fits;
    }

    private static Map<String, Object> metrics(EvaluationReport validation, EvaluationReport evaluation) {
        if (validation == null && evaluation == null) {
            return null;
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (validation != null) {
            metrics.put("validation", validation.summary());
        }
        if (evaluation != null) {
            metrics.put("evaluation", evaluation.summary());
        }
        return metrics;
    }

    private BundleWriter.Draft draft(
            List<String> sources,
            List<Partition> parts,
            Fitted global,
            Map<String, Fitted> keyFits,
            Map<String, String> skipped,
            Map<String, Object> metrics,
            double seconds) {
        Map<String, Object> training = summary(sources, parts, global, seconds);
        training.put("perKeyModels", List.copyOf(keyFits.keySet()));
        if (!skipped.isEmpty()) {
            training.put("perKeyModelsSkipped", skipped);
        }
        Map<String, BundleWriter.Draft> keyDrafts = new TreeMap<>();
        keyFits.forEach((key, f) -> {
            List<Partition> own =
                    parts.stream().filter(p -> p.series().entity().equals(key)).toList();
            keyDrafts.put(
                    key,
                    new BundleWriter.Draft(
                            with(f.manifest(), summary(sources, own, f, seconds), null),
                            f.lstm(),
                            f.autoencoder(),
                            null));
        });
        return new BundleWriter.Draft(
                with(global.manifest(), training, metrics),
                global.lstm(),
                global.autoencoder(),
                keyDrafts.isEmpty() ? null : keyDrafts);
    }

    /** One (global or per-key) pair of networks, fitted and calibrated. */
    private record Fitted(
            BundleManifest manifest,
            MultiLayerNetwork lstm,
            MultiLayerNetwork autoencoder,
            EarlyStoppingFit.Result lstmFit,
            EarlyStoppingFit.Result aeFit,
            Calibrator.Result calibration) {

        int validationEvents() {
            return calibration.validationEvents();
        }
    }

    private Fitted fit(String key, FeatureSpec features, List<Partition> parts, String createdAt) {
        String where = key.isEmpty() ? "" : " for key " + key;
        String suffix = key.isEmpty() ? "" : "[" + key + "]";
        List<Partition.Segment> train =
                parts.stream().flatMap(p -> p.trainNormal().stream()).toList();
        List<Partition.Segment> validation =
                parts.stream().flatMap(p -> p.validationNormal().stream()).toList();
        // (with per-key normalisation the lists are narrowed to entities with statistics of their own below)
        int c = features.size();
        int w = config.windowLength();
        int trainRows = train.stream().mapToInt(Partition.Segment::rows).sum();
        if (trainRows < 2) {
            throw new IllegalArgumentException("Only " + trainRows + " normal training row(s)" + where
                    + "; the history is too short or almost all labelled anomalous");
        }
        Differencing diff = differencing;
        double[][] rows = new double[trainRows][];
        int r = 0;
        for (Partition.Segment s : train) {
            for (int i = s.from(); i < s.to(); i++) {
                rows[r++] = diff.input(s.series().values(), i);
            }
        }
        Normaliser norm = Normaliser.fit(rows, 0, rows.length);
        Map<String, Normaliser> keyNorms = config.perKeyNormalisation() ? keyNormalisers(parts, diff, where) : Map.of();
        if (config.perKeyNormalisation()) {
            // an entity too short for statistics of its own is scored as a new key would be (estimated online)
            train = train.stream()
                    .filter(seg -> keyNorms.containsKey(seg.series().entity()))
                    .toList();
            validation = validation.stream()
                    .filter(seg -> keyNorms.containsKey(seg.series().entity()))
                    .toList();
            require(
                    !train.isEmpty(),
                    "No entity" + where + " has the " + config.normaliserEvents()
                            + " normal training rows per-key normalisation needs; lower normaliserEvents or use global"
                            + " normalisation");
        }
        // the networks never see a direct channel: its standardised input is 0 here as in the Scorer
        DirectEvidence hidden = DirectEvidence.of(features.names(), config.uncalibratedScoringSpec(c));
        List<float[]> trainSegments = normalise(train, diff, norm, keyNorms, hidden, c);
        List<float[]> validationSegments = normalise(validation, diff, norm, keyNorms, hidden, c);

        Examples lstmTrain = Examples.sequences(trainSegments, c, config.sequenceLength());
        Examples lstmValidation = Examples.sequences(validationSegments, c, config.sequenceLength());
        Examples aeTrain = Examples.windows(trainSegments, c, w, config.maxWindows());
        Examples aeValidation = Examples.windows(validationSegments, c, w, config.maxWindows());
        require(
                lstmTrain.size() > 0,
                "No LSTM training sequence" + where + ": every run of normal training rows is" + " shorter than "
                        + TrainingConfig.MIN_SEGMENT_ROWS + " rows");
        require(
                aeTrain.size() > 0,
                "No autoencoder training window" + where + ": no run of normal training rows is" + " windowLength = "
                        + w + " rows long");
        require(
                lstmValidation.size() > 0 && aeValidation.size() > 0,
                "The validation part" + where + " has no run of "
                        + Math.max(w, TrainingConfig.MIN_SEGMENT_ROWS) + " consecutive normal rows (it has "
                        + validation.stream().mapToInt(Partition.Segment::rows).sum()
                        + " normal rows); raise validationFraction or give more history");

        EarlyStoppingFit.Settings settings = EarlyStoppingFit.Settings.of(config);
        MultiLayerNetwork lstm =
                Architectures.lstmPredictor(c, config.lstmHidden(), config.seed(), config.lstmLearningRate());
        progress.onPhase(String.format(
                Locale.ROOT,
                "lstm%s: %d parameters, %d training / %d validation sequences of <= %d steps",
                suffix,
                lstm.numParams(),
                lstmTrain.size(),
                lstmValidation.size(),
                config.sequenceLength()));
        EarlyStoppingFit.Result lstmFit =
                EarlyStoppingFit.fit("lstm" + suffix, lstm, lstmTrain, lstmValidation, settings, progress);
        MultiLayerNetwork ae =
                Architectures.autoencoder(w * c, config.aeHiddenArray(), config.seed(), config.aeLearningRate());
        progress.onPhase(String.format(
                Locale.ROOT,
                "ae%s: %d parameters, %d training / %d validation windows of %d x %d",
                suffix,
                ae.numParams(),
                aeTrain.size(),
                aeValidation.size(),
                w,
                c));
        EarlyStoppingFit.Result aeFit =
                EarlyStoppingFit.fit("ae" + suffix, ae, aeTrain, aeValidation, settings, progress);

        // calibration replays the raw rows through the Scorer, which differences them itself
        List<double[][]> calibrationSeries = new ArrayList<>();
        List<String> calibrationKeys = new ArrayList<>();
        validation.forEach(s -> {
            calibrationSeries.add(s.values());
            calibrationKeys.add(s.series().entity());
        });
        progress.onPhase("calibrating" + where + " on "
                + validation.stream().mapToInt(Partition.Segment::rows).sum() + " normal validation rows in "
                + validation.size() + " run(s)");
        Calibrator.Result calibrated = Calibrator.calibrate(
                draftManifest(features, norm, keyNorms, createdAt),
                lstm,
                ae,
                calibrationKeys,
                calibrationSeries,
                config.lowerTail());
        progress.onPhase(String.format(
                Locale.ROOT,
                "calibrated%s on %d validation events: lower tail %s%s;%s alert"
                        + " threshold surprise %.2f (score %.3f); an alert open on %.2f%% of warm validation events, %d opened",
                suffix,
                calibrated.validationEvents(),
                calibrated.manifest().scoring().lowerTail(),
                config.lowerTail() == null ? " (decided from the data)" : " (given)",
                calibrated.manifest().scoring().direct() == null
                        ? ""
                        : " direct evidence " + calibrated.manifest().scoring().direct() + ";",
                config.threshold(),
                calibrated.manifest().alert().scoreThreshold(),
                100 * calibrated.alertShare(),
                calibrated.alertsOpened()));
        return new Fitted(calibrated.manifest(), lstm, ae, lstmFit, aeFit, calibrated);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The channels to difference: as given, checked against the history's features, or as decided from the data. */
    private Differencing differenced(FeatureSpec features, ChannelForm.Decision decision) {
        List<String> direct = config.directEvidence();
        if (config.differenced() != null && config.differenced().stream().anyMatch(direct::contains)) {
            throw new InvalidConfigException(
                    "difference",
                    "channels " + direct + " are direct evidence (their value is the evidence), so they cannot"
                            + " be differenced; asked to difference " + config.differenced());
        }
        try {
            return Differencing.of(
                    features,
                    config.differenced() != null
                            ? config.differenced()
                            : decision.differenced().stream()
                                    .filter(ch -> !direct.contains(ch))
                                    .toList());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("difference", e.getMessage());
        }
    }

    /** Each entity's own statistics, from its normal training rows, for those with enough of them. */
    private Map<String, Normaliser> keyNormalisers(List<Partition> parts, Differencing diff, String where) {
        Map<String, Normaliser> out = new TreeMap<>();
        List<String> tooShort = new ArrayList<>();
        for (Partition p : parts) {
            List<double[]> rows = new ArrayList<>();
            for (Partition.Segment seg : p.trainNormal()) {
                for (int i = seg.from(); i < seg.to(); i++) {
                    rows.add(diff.input(seg.series().values(), i));
                }
            }
            if (rows.size() >= config.normaliserEvents()) {
                out.put(p.series().entity(), Normaliser.fit(rows.toArray(double[][]::new), 0, rows.size()));
            } else {
                tooShort.add(p.series().entity());
            }
        }
        if (!tooShort.isEmpty()) {
            progress.onPhase("per-key normalisation" + where + ": " + tooShort.size() + " entit"
                    + (tooShort.size() == 1 ? "y has" : "ies have") + " fewer than " + config.normaliserEvents()
                    + " normal training rows and will be scored as new keys: " + tooShort);
        }
        return out;
    }

    private static List<float[]> normalise(
            List<Partition.Segment> segments,
            Differencing diff,
            Normaliser global,
            Map<String, Normaliser> perKey,
            DirectEvidence hidden,
            int c) {
        List<float[]> out = new ArrayList<>();
        for (Partition.Segment s : segments) {
            Normaliser norm = perKey.getOrDefault(s.series().entity(), global);
            float[] flat = new float[s.rows() * c];
            for (int i = 0; i < s.rows(); i++) {
                norm.apply(diff.input(s.series().values(), s.from() + i), flat, i * c);
                hidden.hide(flat, i * c);
            }
            out.add(flat);
        }
        return out;
    }

    /** The manifest before calibration: unit error scales and a flat prior, which Calibrator replaces. */
    private BundleManifest draftManifest(
            FeatureSpec features, Normaliser norm, Map<String, Normaliser> keyNorms, String createdAt) {
        Map<String, BundleManifest.NormaliserSpec> keySpecs = null;
        if (config.perKeyNormalisation()) {
            keySpecs = new TreeMap<>();
            for (Map.Entry<String, Normaliser> e : keyNorms.entrySet()) {
                keySpecs.put(
                        e.getKey(),
                        new BundleManifest.NormaliserSpec(
                                e.getValue().mean(), e.getValue().std()));
            }
        }
        return new BundleManifest(
                BundleManifest.FORMAT_VERSION,
                config.modelId(),
                config.version(),
                createdAt,
                streamKind,
                features.names(),
                differencing.isNone() ? null : differencing.names(),
                config.windowLength(),
                config.sequenceLength(),
                new BundleManifest.NormaliserSpec(norm.mean(), norm.std()),
                config.perKeyNormalisation() ? BundleManifest.PER_KEY : BundleManifest.GLOBAL,
                keySpecs,
                BundleWriter.LSTM_FILE,
                BundleWriter.AUTOENCODER_FILE,
                config.uncalibratedScoringSpec(features.size()),
                null,
                config.alertSpec(),
                null,
                null,
                null,
                null);
    }

    private Map<String, Object> summary(List<String> sources, List<Partition> parts, Fitted f, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sources", sources);
        m.put("entities", parts.size());
        m.put("rows", parts.stream().mapToInt(p -> p.series().size()).sum());
        m.put("trainRows", parts.stream().mapToInt(Partition::trainRows).sum());
        m.put(
                "trainNormalRows",
                parts.stream().mapToInt(Partition::trainNormalRows).sum());
        m.put(
                "validationRows",
                parts.stream().mapToInt(Partition::validationRows).sum());
        m.put(
                "validationNormalRows",
                parts.stream().mapToInt(Partition::validationNormalRows).sum());
        m.put("lstm", fitSummary(f.lstmFit(), "sequences"));
        m.put("autoencoder", fitSummary(f.aeFit(), "windows"));
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("validationEvents", f.validationEvents());
        calibration.put("threshold", f.manifest().alert().threshold());
        calibration.put("scoreThreshold", f.manifest().alert().scoreThreshold());
        calibration.put("validationAlertShare", f.calibration().alertShare());
        calibration.put("validationAlertsOpened", f.calibration().alertsOpened());
        calibration.put("lowerTail", f.manifest().scoring().lowerTail());
        calibration.put("lowerTailDecidedFromData", config.lowerTail() == null);
        calibration.putAll(f.calibration().decisions());
        m.put("calibration", calibration);
        Map<String, Object> channelForm = new LinkedHashMap<>();
        channelForm.put("differenced", differencing.names());
        channelForm.put("decidedFromData", config.differenced() == null);
        if (form != null) {
            channelForm.put("medianDrift", form.drift());
            channelForm.put("driftBound", ChannelForm.DRIFT_BOUND);
        }
        m.put("channelForm", channelForm);
        m.put("seed", config.seed());
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("config", config.asMap());
        return m;
    }

    private static Map<String, Object> fitSummary(EarlyStoppingFit.Result r, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(unit, r.examples());
        m.put("validation" + Character.toUpperCase(unit.charAt(0)) + unit.substring(1), r.validationExamples());
        m.put("epochs", r.epochsRun());
        m.put("bestEpoch", r.bestEpoch());
        m.put("stoppedEarly", r.stoppedEarly());
        m.put("trainingLoss", r.trainingLossAtBest());
        m.put("validationLoss", r.bestValidationLoss());
        m.put("firstValidationLoss", r.validationLosses()[0]);
        m.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        return m;
    }

    private static BundleManifest with(BundleManifest m, Map<String, Object> training, Map<String, Object> metrics) {
        return m.withSummary(training, metrics);
    }
}
