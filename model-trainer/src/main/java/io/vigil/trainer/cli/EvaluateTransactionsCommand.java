package io.vigil.trainer.cli;

import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.evaluation.TransactionEvaluation;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.history.TransactionHistoryReader;
import io.vigil.trainer.report.HtmlReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil-trainer evaluate-transactions}: a transaction bundle on labelled transactions, as fraud teams measure. */
@Command(
        name = "evaluate-transactions",
        showDefaultValues = true,
        sortOptions = false,
        header = "Evaluate a transaction bundle on labelled transactions.",
        description = {
            "Scores labelled transactions with a transaction bundle through the same scorer the job uses (every"
                    + " account from its first transaction, counting those from --from on), and reports average"
                    + " precision and the PR curve, ROC AUC, card precision@k per day and recall at a fixed"
                    + " false-positive rate, overall and per fraud pattern, beside two baselines computed by the same"
                    + " code: the amount alone, and the amount's z-score against the account's earlier amounts.",
            "Writes " + TransactionEvaluation.JSON_FILE + ", " + TransactionEvaluation.CSV_FILE + " and "
                    + HtmlReport.FILE + " into --output."
        })
final class EvaluateTransactionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(
            paramLabel = "<transactions>",
            arity = "1..*",
            description = "Labelled transaction files or directories.")
    List<Path> inputs;

    @Mixin
    BundleInputMixin bundle;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "<dir>",
            required = true,
            description = "Directory for the results (created if absent; its files are replaced).")
    Path output;

    @Option(
            names = "--from",
            paramLabel = "<time>",
            description = "Count the transactions from this time on (epoch ms or ISO-8601); earlier ones only bring"
                    + " the accounts up to date. Default: all.")
    String from;

    @Mixin
    FraudMetricsOptions metrics;

    @Option(
            names = "--confirmation-delay",
            paramLabel = "<duration>",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "For a bundle with merchant risk: how long after a fraud it is taken as confirmed.")
    Duration confirmationDelay;

    @Option(
            names = "--threshold",
            paramLabel = "<score>",
            description = "Alerts at this threshold in (0, 1) instead of the bundle's.")
    Double threshold;

    @Mixin
    TransactionColumnsMixin columns;

    @Override
    public Integer call() throws Exception {
        Scorer.Settings settings = Cli.scorerSettings(spec, threshold);
        metrics.check(spec);
        var cols = TransactionCommands.columns(spec, columns);
        long start = from == null ? Long.MIN_VALUE : TransactionCommands.time(spec, "--from", from);
        ScoringModel model = bundle.read();
        if (!TransactionFeatures.isTransactionModel(model.features().names())) {
            throw new IllegalArgumentException("Bundle " + bundle.dir + " is a model of " + model.features()
                    + ", not a transaction model; train one with train-transactions");
        }
        TransactionHistory h = TransactionHistoryReader.read(inputs, cols);
        TransactionEvaluation e = TransactionEvaluation.score(
                model,
                h,
                settings,
                new TransactionEvaluation.Options(start, metrics.k(), metrics.fpr(), confirmationDelay));
        e.writeTo(
                output, Instant.now().truncatedTo(ChronoUnit.SECONDS) + " \u00b7 vigil-trainer evaluate-transactions");
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model       %s version %s%n", model.modelId(), model.version());
        e.printTo(out);
        out.println("written     " + output.resolve(TransactionEvaluation.JSON_FILE) + ", "
                + output.resolve(TransactionEvaluation.CSV_FILE) + ", " + output.resolve(HtmlReport.FILE));
        out.flush();
        return 0;
    }
}
