package io.vigil.trainer.cli;

import io.vigil.trainer.history.History;
import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.history.HistoryReader;
import io.vigil.trainer.training.EarlyStoppingFit;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil-trainer train}: history files in, a calibrated model bundle directory out. */
@Command(
        name = "train",
        showDefaultValues = true,
        abbreviateSynopsis = true,
        header = "Train a model bundle from history files.",
        sortOptions = false,
        description = {
            "Trains the LSTM predictor and the autoencoder on the normal rows of the history, calibrates the alert"
                    + " threshold on the newest part of each entity, and writes a model bundle.",
            "Example: vigil-trainer train --exclude changepoint --output bundles/valve1 data/valve1/*.csv"
        })
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(
            paramLabel = "<history>",
            arity = "1..*",
            description = "History files (CSV or Avro SensorReading files) or directories of them.")
    List<Path> inputs;

    @Mixin
    BundleOutputMixin output;

    @Option(
            names = "--evaluate-on",
            paramLabel = "<file>",
            split = ",",
            description = "Labelled history to evaluate the trained model on; its metrics go into the bundle.")
    List<Path> evaluateOn;

    @Mixin
    HistoryOptionsMixin history;

    @Mixin
    BundleIdentityMixin identity;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = identity.config(spec, training);
        HistoryOptions options = Cli.historyOptions(spec, history);
        Path dir = output.checked(spec);
        PrintWriter out = spec.commandLine().getOut();
        History h = HistoryReader.read(inputs, options);
        History evaluation =
                evaluateOn == null || evaluateOn.isEmpty() ? null : HistoryReader.read(evaluateOn, options);
        TrainingResult result = new Trainer(config, ProgressListener.printingTo(out)).train(h, evaluation);
        String sha = result.writeTo(dir);
        summary(out, result, h, sha);
        return 0;
    }

    private void summary(PrintWriter out, TrainingResult r, History h, String sha) {
        out.println();
        out.printf(
                Locale.ROOT,
                "bundle      %s (manifest sha256 %s)%n",
                output.dir.toAbsolutePath().normalize(),
                sha);
        out.printf(
                Locale.ROOT,
                "model       %s version %s%n",
                r.manifest().modelId(),
                r.manifest().version());
        out.printf(
                Locale.ROOT,
                "threshold   surprise %.2f = score %.4f (one event in %,.0f of normal data opens an alert;"
                        + " %d validation events)%n",
                r.threshold(),
                r.scoreThreshold(),
                Math.pow(10, r.threshold()),
                r.validationEvents());
        out.printf(
                Locale.ROOT,
                "decided     differenced %s, lower tail %s (from the data unless given)%n",
                r.manifest().differenced() == null ? "[]" : r.manifest().differenced(),
                r.manifest().scoring().lowerTail());
        out.printf(
                Locale.ROOT, "history     %d entities, %d rows, features %s%n", h.entities(), h.rows(), h.features());
        fit(out, "lstm", r.lstm());
        fit(out, "ae", r.autoencoder());
        if (!r.keyModels().isEmpty() || !r.skippedKeys().isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "per-key     own models for %s%s%n",
                    r.keyModels().keySet(),
                    r.skippedKeys().isEmpty()
                            ? ""
                            : "; global model for " + r.skippedKeys().keySet());
        }
        r.validation().ifPresent(v -> out.println("validation  " + Cli.metrics(v)));
        r.evaluation().ifPresent(v -> out.println("evaluation  " + Cli.metrics(v)));
        out.println("next        vigil-trainer evaluate --bundle " + output.dir + " --output <dir> <labelled history>");
        out.println("            vigil-trainer publish --bundle " + output.dir + " --store <model store>");
        out.flush();
    }

    private static void fit(PrintWriter out, String name, EarlyStoppingFit.Result f) {
        out.printf(
                Locale.ROOT,
                "%-11s %d epoch(s)%s, kept epoch %d: validation loss %.4f (epoch 1: %.4f)%n",
                name,
                f.epochsRun(),
                f.stoppedEarly() ? " (stopped early)" : "",
                f.bestEpoch(),
                f.bestValidationLoss(),
                f.validationLosses()[0]);
    }
}
