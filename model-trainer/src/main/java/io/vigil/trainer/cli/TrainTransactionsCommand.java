package io.vigil.trainer.cli;

import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.history.History;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.history.TransactionHistoryReader;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import io.vigil.trainer.training.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil-trainer train-transactions}: transaction history in, a calibrated transaction model bundle out. */
@Command(
        name = "train-transactions",
        showDefaultValues = true,
        abbreviateSynopsis = true,
        sortOptions = false,
        defaultValueProvider = TransactionDefaults.class,
        header = "Train a transaction model bundle from transaction history.",
        description = {
            "Computes each transaction's features in the context of its account's history (counts and sums over the"
                    + " last 10 minutes, hour, day and week, the amount against the account's median, time since its"
                    + " previous transaction, new merchant or country, hour and day; with --merchant-risk also the share"
                    + " of confirmed frauds at the merchant), then trains the LSTM and the autoencoder on each account's"
                    + " sequence of them, leaving fraud rows out, calibrates on the newest part of each account and"
                    + " writes a bundle the job's transaction pipeline scores with.",
            "Example: vigil-trainer train-transactions --output bundles/cards --until 2026-03-01T00:00:00Z cards.csv"
        })
final class TrainTransactionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(
            paramLabel = "<transactions>",
            arity = "1..*",
            description = "Transaction files (CSV, or Avro files of Transaction records) or directories of them.")
    List<Path> inputs;

    @Mixin
    BundleOutputMixin output;

    @Option(
            names = "--until",
            paramLabel = "<time>",
            description = "Train on the transactions before this time only (epoch ms or ISO-8601), e.g. to keep the"
                    + " newest for evaluate-transactions. Default: all.")
    String until;

    @Mixin
    FeedbackOptions feedback;

    @Mixin
    TransactionColumnsMixin columns;

    @Mixin
    BundleIdentityMixin identity;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        TransactionFeatures features = feedback.features();
        // a merchant's confirmed-fraud risk is evidence in itself, not something the networks predict
        TrainingConfig config = identity.config(spec, training).withDirectEvidence(features.merchantRiskNames());
        var cols = TransactionCommands.columns(spec, columns);
        long cut = until == null ? Long.MAX_VALUE : TransactionCommands.time(spec, "--until", until);
        Path dir = output.checked(spec);
        PrintWriter out = spec.commandLine().getOut();
        TransactionHistory all = TransactionHistoryReader.read(inputs, cols);
        TransactionHistory h = all.before(cut);
        out.printf(
                Locale.ROOT,
                "history     %,d transactions of %,d accounts%s%s%n",
                h.transactions().size(),
                h.transactions().stream().map(t -> t.accountId()).distinct().count(),
                until == null ? "" : " before " + Instant.ofEpochMilli(cut),
                h.labelled()
                        ? String.format(
                                Locale.ROOT,
                                ", %,d labelled fraud (left out of training)",
                                TransactionCommands.frauds(h))
                        : ", unlabelled");
        History featurized = h.featurize(features, feedback.confirmationDelay()).history();
        out.println("features    " + features.names()
                + (feedback.merchantRisk()
                        ? " (frauds confirmed " + feedback.confirmationDelay() + " after they happened)"
                        : ""));
        TrainingResult result = new Trainer(config, ProgressListener.printingTo(out)).train(featurized);
        String sha = result.writeTo(dir);
        out.println();
        out.printf(
                Locale.ROOT,
                "bundle      %s (manifest sha256 %s)%n",
                dir.toAbsolutePath().normalize(),
                sha);
        out.printf(
                Locale.ROOT,
                "model       %s version %s, stream TRANSACTION, window %d%n",
                result.manifest().modelId(),
                result.manifest().version(),
                result.manifest().windowLength());
        out.printf(
                Locale.ROOT,
                "threshold   surprise %.2f = score %.4f (%d validation events)%n",
                result.threshold(),
                result.scoreThreshold(),
                result.validationEvents());
        out.println("next        vigil-trainer evaluate-transactions --bundle " + dir
                + " --output <dir> <labelled transactions>");
        out.flush();
        return 0;
    }
}
