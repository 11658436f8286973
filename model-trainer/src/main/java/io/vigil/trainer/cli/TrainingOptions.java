package io.vigil.trainer.cli;

import io.vigil.trainer.training.TrainingConfig;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training hyperparameters as command-line options, declared once for every command that trains:
 * {@code vigil-trainer train}, and the harness's {@code corpus} and {@code benchmark}. Each default is
 * {@link TrainingConfig}'s; a command that mixes these in shows them with {@code showDefaultValues}. The lower tail and the differenced channels are decided from the data unless
 * an expert names them ({@code --lower-tail}, {@code --upper-tail-only}, {@code --difference}).
 */
public final class TrainingOptions {

    @Option(
            names = "--window-length",
            defaultValue = "" + TrainingConfig.DEFAULT_WINDOW_LENGTH,
            description = "W: vectors per autoencoder window.")
    int windowLength;

    @Option(
            names = "--sequence-length",
            defaultValue = "" + TrainingConfig.DEFAULT_SEQUENCE_LENGTH,
            description = "Steps per LSTM training sequence.")
    int sequenceLength;

    @Option(
            names = "--lstm-hidden",
            defaultValue = "" + TrainingConfig.DEFAULT_LSTM_HIDDEN,
            description = "LSTM hidden units.")
    int lstmHidden;

    @Option(
            names = "--ae-hidden",
            paramLabel = "<sizes>",
            defaultValue = TrainingConfig.DEFAULT_AE_HIDDEN,
            description = "Autoencoder hidden layer sizes.")
    String aeHidden;

    @Option(
            names = "--max-epochs",
            defaultValue = "" + TrainingConfig.DEFAULT_MAX_EPOCHS,
            description = "Most epochs per network.")
    int maxEpochs;

    @Option(
            names = "--patience",
            defaultValue = "" + TrainingConfig.DEFAULT_PATIENCE,
            description = "Epochs without validation improvement before stopping.")
    int patience;

    @Option(
            names = "--min-improvement",
            defaultValue = "" + TrainingConfig.DEFAULT_MIN_IMPROVEMENT,
            description = "Relative validation-loss decrease that counts as an improvement.")
    double minImprovement;

    @Option(
            names = "--batch-size",
            defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE,
            description = "Examples per mini-batch.")
    int batchSize;

    @Option(
            names = "--lstm-learning-rate",
            defaultValue = "" + TrainingConfig.DEFAULT_LSTM_LEARNING_RATE,
            description = "Adam learning rate of the LSTM.")
    double lstmLearningRate;

    @Option(
            names = "--ae-learning-rate",
            defaultValue = "" + TrainingConfig.DEFAULT_AE_LEARNING_RATE,
            description = "Adam learning rate of the autoencoder.")
    double aeLearningRate;

    @Option(
            names = "--validation-fraction",
            defaultValue = "" + TrainingConfig.DEFAULT_VALIDATION_FRACTION,
            description = "Newest part of each entity kept for validation and calibration.")
    double validationFraction;

    @Option(
            names = "--seed",
            defaultValue = "" + TrainingConfig.DEFAULT_SEED,
            description = "Seed of initialisation, shuffling and subsampling.")
    long seed;

    @Option(
            names = "--ae-error-span",
            defaultValue = "" + TrainingConfig.DEFAULT_AE_ERROR_SPAN,
            description = "Newest window vectors the reconstruction error averages; 0 = the whole window.")
    int aeErrorSpan;

    @Option(
            names = "--ae-hop",
            defaultValue = "" + TrainingConfig.DEFAULT_AE_HOP,
            description = "The autoencoder reconstructs a key's window every N-th event (1 = every event); 0 = a"
                    + " quarter of the window, so its cost per event does not grow with the window.")
    int aeHop;

    @Option(
            names = "--smoothing",
            defaultValue = "" + TrainingConfig.DEFAULT_SMOOTHING,
            description = "EWMA weight of the newest error in each channel's smoothed error, the evidence (1 = none).")
    double smoothing;

    @Option(
            names = "--half-life",
            defaultValue = "" + TrainingConfig.DEFAULT_HALF_LIFE,
            description = "Events after which what a key remembers of its evidence weighs half.")
    double halfLife;

    @Option(
            names = "--prior-weight",
            defaultValue = "" + TrainingConfig.DEFAULT_PRIOR_WEIGHT,
            description = "Events the calibrated prior counts for when a key starts.")
    int priorWeight;

    @Option(
            names = "--calm-smoothing",
            defaultValue = "" + TrainingConfig.DEFAULT_CALM_SMOOTHING,
            description = "EWMA weight of the newest error in the smoothed error the lower tail reads.")
    double calmSmoothing;

    @Option(
            names = "--alert-threshold",
            defaultValue = "" + TrainingConfig.DEFAULT_THRESHOLD,
            description = "Surprise (decades: 3 = one event in a thousand) at which one event alone opens an alert.")
    double threshold;

    @Option(
            names = "--alert-drift",
            defaultValue = "" + TrainingConfig.DEFAULT_DRIFT,
            description = "Surprise each event of a run must exceed to build evidence towards an alert.")
    double drift;

    @Option(
            names = "--resolve-after",
            defaultValue = "" + TrainingConfig.DEFAULT_RESOLVE_AFTER,
            description = "Consecutive events back to normal that resolve an alert.")
    int resolveAfter;

    @Option(
            names = "--max-open",
            defaultValue = "" + TrainingConfig.DEFAULT_MAX_OPEN_EVENTS,
            description = "Events after which an alert still open is closed and the key's behaviour accepted as"
                    + " its new normal.")
    int maxOpenEvents;

    @Option(
            names = "--warmup-events",
            defaultValue = "" + TrainingConfig.DEFAULT_WARMUP_EVENTS,
            description = "Events after the first full window before a key may alert.")
    int warmupEvents;

    @Option(
            names = "--max-windows",
            defaultValue = "" + TrainingConfig.DEFAULT_MAX_WINDOWS,
            description = "Most autoencoder training windows (evenly subsampled beyond).")
    int maxWindows;

    @Option(
            names = "--normalisation",
            defaultValue = "per-key",
            description = "per-key (each entity standardised with its own statistics; new keys estimate theirs from"
                    + " their first --normaliser-events readings) or global.")
    String normalisation;

    @Option(
            names = "--normaliser-events",
            defaultValue = "" + TrainingConfig.DEFAULT_NORMALISER_EVENTS,
            description = "Readings a new key spends estimating its statistics.")
    int normaliserEvents;

    @Option(
            names = "--per-key-min-rows",
            defaultValue = "" + TrainingConfig.DEFAULT_PER_KEY_MIN_ROWS,
            description = "Entities with at least this many normal training rows get their own models; 0 = off.")
    int perKeyMinRows;

    @Option(
            names = "--difference",
            split = ",",
            paramLabel = "<column>",
            description = "Expert: the columns the networks see as first differences (this row minus the entity's"
                    + " previous one), or 'none'. Default: decided from the fit data (channels that drift).")
    List<String> difference;

    @Option(
            names = "--lower-tail",
            split = ",",
            paramLabel = "<column>",
            description = "Expert: the columns whose unusually small errors count (a stuck sensor), or 'none'."
                    + " Default: decided from the validation data (channels that are never calm when normal).")
    List<String> lowerTail;

    @Option(names = "--upper-tail-only", description = "Expert: the same as --lower-tail none.")
    boolean upperTailOnly;

    /** The options as a builder (model id and version are the caller's). */
    public TrainingConfig.Builder toBuilder() {
        if (!"per-key".equals(normalisation) && !"global".equals(normalisation)) {
            throw new io.vigil.trainer.training.InvalidConfigException(
                    "normalisation", "--normalisation must be per-key or global, not '" + normalisation + "'");
        }
        return TrainingConfig.builder()
                .windowLength(windowLength)
                .sequenceLength(sequenceLength)
                .lstmHidden(lstmHidden)
                .aeHidden(TrainingConfig.parseLayers(aeHidden))
                .maxEpochs(maxEpochs)
                .patience(patience)
                .minImprovement(minImprovement)
                .batchSize(batchSize)
                .lstmLearningRate(lstmLearningRate)
                .aeLearningRate(aeLearningRate)
                .validationFraction(validationFraction)
                .seed(seed)
                .aeErrorSpan(aeErrorSpan)
                .aeHop(aeHop)
                .smoothing(smoothing)
                .halfLife(halfLife)
                .priorWeight(priorWeight)
                .calmSmoothing(calmSmoothing)
                .threshold(threshold)
                .drift(drift)
                .resolveAfter(resolveAfter)
                .maxOpenEvents(maxOpenEvents)
                .warmupEvents(warmupEvents)
                .maxWindows(maxWindows)
                .perKeyMinRows(perKeyMinRows)
                .perKeyNormalisation("per-key".equals(normalisation))
                .normaliserEvents(normaliserEvents)
                .lowerTail(upperTailOnly ? List.of() : channels(lowerTail))
                .differenced(channels(difference));
    }

    /** Null stays null (decide from the data); 'none' is the empty list. */
    private static List<String> channels(List<String> given) {
        if (given == null) {
            return null;
        }
        return given.size() == 1 && "none".equals(given.get(0)) ? List.of() : given;
    }
}
