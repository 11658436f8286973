package io.vigil.trainer.cli;

import io.vigil.scoring.Surprise;
import io.vigil.trainer.history.History;
import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.history.HistoryReader;
import io.vigil.trainer.training.EarlyStoppingFit;
import io.vigil.trainer.training.InvalidConfigException;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil-trainer train}: history files in, a calibrated model bundle directory out. */
@Command(name = "train", showDefaultValues = true, abbreviateSynopsis = true, header = "Train a model bundle from history files.", sortOptions = false,
        description = {
            "Trains the LSTM predictor and the autoencoder on the normal rows of the history, calibrates the alert"
                    + " threshold on the newest part of each entity, and writes a model bundle.",
            "Example: vigil-trainer train --exclude changepoint --output bundles/valve1 data/valve1/*.csv"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // not mixinStandardHelpOptions: its -V/--version would clash with the model --version option
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "<history>", arity = "1..*",
            description = "History files (CSV or Avro SensorReading files) or directories of them.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "<dir>", required = true,
            description = "Bundle directory to write; must not exist or be empty.")
    Path output;

    @Option(names = "--evaluate-on", paramLabel = "<file>", split = ",",
            description = "Labelled history to evaluate the trained model on; its metrics go into the bundle.")
    List<Path> evaluateOn;

    @Mixin
    HistoryOptionsMixin history;

    @Option(names = "--model-id", defaultValue = TrainingConfig.DEFAULT_MODEL_ID, description = "Stable model name.")
    String modelId;

    @Option(names = "--version", paramLabel = "<version>",
            description = "Bundle version (default: UTC time of training, yyyyMMdd-HHmmss).")
    String version;

    @Option(names = "--window-length", defaultValue = "" + TrainingConfig.DEFAULT_WINDOW_LENGTH,
            description = "W: vectors per autoencoder window.")
    int windowLength;

    @Option(names = "--sequence-length", defaultValue = "" + TrainingConfig.DEFAULT_SEQUENCE_LENGTH,
            description = "Steps per LSTM training sequence.")
    int sequenceLength;

    @Option(names = "--lstm-hidden", defaultValue = "" + TrainingConfig.DEFAULT_LSTM_HIDDEN,
            description = "LSTM hidden units.")
    int lstmHidden;

    @Option(names = "--ae-hidden", paramLabel = "<sizes>", defaultValue = TrainingConfig.DEFAULT_AE_HIDDEN,
            description = "Autoencoder hidden layer sizes.")
    String aeHidden;

    @Option(names = "--max-epochs", defaultValue = "" + TrainingConfig.DEFAULT_MAX_EPOCHS,
            description = "Most epochs per network.")
    int maxEpochs;

    @Option(names = "--patience", defaultValue = "" + TrainingConfig.DEFAULT_PATIENCE,
            description = "Epochs without validation improvement before stopping.")
    int patience;

    @Option(names = "--min-improvement", defaultValue = "" + TrainingConfig.DEFAULT_MIN_IMPROVEMENT,
            description = "Relative validation-loss decrease that counts as an improvement.")
    double minImprovement;

    @Option(names = "--batch-size", defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE,
            description = "Examples per mini-batch.")
    int batchSize;

    @Option(names = "--lstm-learning-rate", defaultValue = "" + TrainingConfig.DEFAULT_LSTM_LEARNING_RATE,
            description = "Adam learning rate of the LSTM.")
    double lstmLearningRate;

    @Option(names = "--ae-learning-rate", defaultValue = "" + TrainingConfig.DEFAULT_AE_LEARNING_RATE,
            description = "Adam learning rate of the autoencoder.")
    double aeLearningRate;

    @Option(names = "--validation-fraction", defaultValue = "" + TrainingConfig.DEFAULT_VALIDATION_FRACTION,
            description = "Newest part of each entity kept for validation and calibration.")
    double validationFraction;

    @Option(names = "--seed", defaultValue = "" + TrainingConfig.DEFAULT_SEED,
            description = "Seed of initialisation, shuffling and subsampling.")
    long seed;

    @Option(names = "--smoothing", defaultValue = "" + TrainingConfig.DEFAULT_SMOOTHING,
            description = "EWMA weight of the newest error (1 = none).")
    double smoothing;

    @Option(names = "--ae-error-span", defaultValue = "" + TrainingConfig.DEFAULT_AE_ERROR_SPAN,
            description = "Newest window vectors the reconstruction error averages; 0 = the whole window.")
    int aeErrorSpan;

    @Option(names = "--ae-hop", defaultValue = "" + TrainingConfig.DEFAULT_AE_HOP,
            description = "The autoencoder reconstructs a key's window every N-th event (1 = every event); 0 = a"
                    + " quarter of the window, so its cost per event does not grow with the window.")
    int aeHop;

    @Option(names = "--threshold-quantile", defaultValue = "" + TrainingConfig.DEFAULT_THRESHOLD_QUANTILE,
            description = "Quantile of validation scores that becomes the threshold.")
    double thresholdQuantile;

    @Option(names = "--stats-alpha", defaultValue = "" + TrainingConfig.DEFAULT_STATS_ALPHA,
            description = "Per-key adaptation rate of the error statistics.")
    double statsAlpha;

    @Option(names = "--prior-weight", defaultValue = "" + TrainingConfig.DEFAULT_PRIOR_WEIGHT,
            description = "Events the calibrated prior counts for when a key starts.")
    int priorWeight;

    @Option(names = "--warmup-events", defaultValue = "" + TrainingConfig.DEFAULT_WARMUP_EVENTS,
            description = "Events after the first full window before a key may alert.")
    int warmupEvents;

    @Option(names = "--max-windows", defaultValue = "" + TrainingConfig.DEFAULT_MAX_WINDOWS,
            description = "Most autoencoder training windows (evenly subsampled beyond).")
    int maxWindows;

    @Option(names = "--normalisation", defaultValue = "per-key",
            description = "per-key (each entity standardised with its own statistics; new keys estimate theirs from"
                    + " their first --normaliser-events readings) or global. Default: ${DEFAULT-VALUE}.")
    String normalisation;

    @Option(names = "--normaliser-events", defaultValue = "" + TrainingConfig.DEFAULT_NORMALISER_EVENTS,
            description = "Readings a new key spends estimating its statistics. Default: ${DEFAULT-VALUE}.")
    int normaliserEvents;

    @Option(names = "--threshold-kind", defaultValue = TrainingConfig.DEFAULT_THRESHOLD_KIND,
            description = "quantile (a fixed threshold: the validation quantile) or pot (dynamic: peaks over threshold,"
                    + " refitted per key online at risk 1 - quantile). Default: ${DEFAULT-VALUE}.")
    String thresholdKind;

    @Option(names = "--upper-tail-only", description = "Only errors above a channel's normal count; by default"
            + " errors far below it count too (a stuck sensor is predicted too well).")
    boolean upperTailOnly;

    @Option(names = "--difference", split = ",", paramLabel = "<column>",
            description = "Columns the networks see as first differences (this row minus the entity's previous one)"
                    + " instead of levels: slow channels, such as temperatures, that drift beyond the range the"
                    + " history shows. Default: none.")
    List<String> difference = new ArrayList<>();

    @Option(names = "--per-key-min-rows", defaultValue = "" + TrainingConfig.DEFAULT_PER_KEY_MIN_ROWS,
            description = "Entities with at least this many normal training rows get their own models; 0 = off.")
    int perKeyMinRows;

    private boolean perKeyNormalisation() {
        return switch (normalisation) {
            case "per-key" -> true;
            case "global" -> false;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--normalisation must be per-key or global, not '" + normalisation + "'");
        };
    }

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = config();
        HistoryOptions options = Cli.historyOptions(spec, history);
        checkOutput();
        PrintWriter out = spec.commandLine().getOut();
        History h = HistoryReader.read(inputs, options);
        History evaluation = evaluateOn == null || evaluateOn.isEmpty() ? null : HistoryReader.read(evaluateOn, options);
        TrainingResult result = new Trainer(config, ProgressListener.printingTo(out)).train(h, evaluation);
        String sha = result.writeTo(output);
        summary(out, result, h, sha);
        return 0;
    }

    private TrainingConfig config() {
        try {
            return TrainingConfig.builder().modelId(modelId).version(version).windowLength(windowLength)
                    .sequenceLength(sequenceLength).lstmHidden(lstmHidden).aeHidden(TrainingConfig.parseLayers(aeHidden))
                    .maxEpochs(maxEpochs).patience(patience).minImprovement(minImprovement).batchSize(batchSize)
                    .lstmLearningRate(lstmLearningRate).aeLearningRate(aeLearningRate)
                    .validationFraction(validationFraction).seed(seed).smoothing(smoothing).aeErrorSpan(aeErrorSpan)
                    .aeHop(aeHop).thresholdQuantile(thresholdQuantile).statsAlpha(statsAlpha).priorWeight(priorWeight)
                    .warmupEvents(warmupEvents).maxWindows(maxWindows).perKeyMinRows(perKeyMinRows)
                    .perKeyNormalisation(perKeyNormalisation()).normaliserEvents(normaliserEvents).lowerTail(!upperTailOnly)
                    .thresholdKind(thresholdKind).differenced(difference).build();
        } catch (InvalidConfigException e) {
            throw Cli.usage(spec, "--" + Cli.kebab(e.field()), e.getMessage());
        }
    }

    private void checkOutput() throws IOException {
        if (Files.exists(output)) {
            if (!Files.isDirectory(output)) {
                throw Cli.usage(spec, "--output", output + " is a file; give a new directory for the bundle");
            }
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw Cli.usage(spec, "--output", output + " is not empty; bundles are immutable, so write each"
                            + " one to a new directory");
                }
            }
        }
    }

    private void summary(PrintWriter out, TrainingResult r, History h, String sha) {
        out.println();
        out.printf(Locale.ROOT, "bundle      %s (manifest sha256 %s)%n", output.toAbsolutePath().normalize(), sha);
        out.printf(Locale.ROOT, "model       %s version %s%n", r.manifest().modelId(), r.manifest().version());
        out.printf(Locale.ROOT, "threshold   %s = z %.2f (quantile %s of %d validation scores)%n", r.threshold(),
                Surprise.z(r.threshold()), r.manifest().threshold().quantile(), r.validationEvents());
        out.printf(Locale.ROOT, "history     %d entities, %d rows, features %s%n", h.entities(), h.rows(), h.features());
        fit(out, "lstm", r.lstm());
        fit(out, "ae", r.autoencoder());
        if (!r.keyModels().isEmpty() || !r.skippedKeys().isEmpty()) {
            out.printf(Locale.ROOT, "per-key     own models for %s%s%n", r.keyModels().keySet(),
                    r.skippedKeys().isEmpty() ? "" : "; global model for " + r.skippedKeys().keySet());
        }
        r.validation().ifPresent(v -> out.println("validation  " + Cli.metrics(v)));
        r.evaluation().ifPresent(v -> out.println("evaluation  " + Cli.metrics(v)));
        out.println("next        vigil-trainer evaluate --bundle " + output + " --output <dir> <labelled history>");
        out.println("            vigil-trainer publish --bundle " + output + " --store <model store>");
        out.flush();
    }

    private static void fit(PrintWriter out, String name, EarlyStoppingFit.Result f) {
        out.printf(Locale.ROOT, "%-11s %d epoch(s)%s, kept epoch %d: validation loss %.4f (epoch 1: %.4f)%n", name,
                f.epochsRun(), f.stoppedEarly() ? " (stopped early)" : "", f.bestEpoch(), f.bestValidationLoss(),
                f.validationLosses()[0]);
    }
}
