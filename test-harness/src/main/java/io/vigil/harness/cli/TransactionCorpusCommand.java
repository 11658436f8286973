package io.vigil.harness.cli;

import io.vigil.harness.corpus.TransactionCorpusRun;
import io.vigil.trainer.cli.FeedbackOptions;
import io.vigil.trainer.cli.FraudMetricsOptions;
import io.vigil.trainer.cli.TrainingOptions;
import io.vigil.trainer.cli.TransactionColumnsMixin;
import io.vigil.trainer.cli.TransactionCommands;
import io.vigil.trainer.cli.TransactionDefaults;
import io.vigil.trainer.evaluation.TransactionEvaluation;
import io.vigil.trainer.report.HtmlReport;
import io.vigil.trainer.training.InvalidConfigException;
import io.vigil.trainer.training.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code transaction-corpus}: a labelled transaction file through Kafka and the job, measured as fraud teams do. */
@Command(
        name = "transaction-corpus",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        defaultValueProvider = TransactionDefaults.class,
        description = {
            "Benchmarks Vigil's transaction pipeline on a labelled transaction file: trains a transaction model"
                    + " (train-transactions' features and defaults) on the fit part, the transactions before the cut"
                    + " (the first --fit-share of the time the file spans, or --fit-until), frauds left out; streams"
                    + " every transaction in time order through a Kafka broker and the Flink job in this process;"
                    + " and measures the job's scores of the transactions from the cut on with evaluate-transactions'"
                    + " code: average precision, ROC AUC, card precision@k per day and recall at a fixed false-positive"
                    + " rate, overall and per fraud pattern, beside the amount alone and the account's z-score of it."
                    + " With --merchant-risk it plays the fraud team too: each fraud of the label column is confirmed"
                    + " --confirmation-delay after it happened, on a labels topic the job reads.",
            "Writes " + TransactionEvaluation.CSV_FILE + " (every transaction once: score, alert_open, label, pattern,"
                    + " counted), " + TransactionEvaluation.JSON_FILE + ", " + HtmlReport.FILE + ", "
                    + TransactionCorpusRun.DEAD_LETTER_FILE + " and " + TransactionCorpusRun.RUN_FILE
                    + " into --output.",
            "Example: transaction-corpus --fit-share 0.5 --output run/corpus cards.csv"
        })
public final class TransactionCorpusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            paramLabel = "<transactions>",
            arity = "1..*",
            description = "Labelled transaction files (CSV, or Avro) or directories of them.")
    private List<Path> inputs;

    @Mixin
    private TransactionColumnsMixin columns;

    @Option(
            names = "--fit-share",
            defaultValue = "0.5",
            description =
                    "Train on the first share of the time the transactions span; count the rest. Default: ${DEFAULT-VALUE}.")
    private double fitShare;

    @Option(
            names = "--fit-until",
            paramLabel = "<time>",
            description = "Train on the transactions before this time (epoch ms or ISO-8601) and count the rest,"
                    + " instead of --fit-share.")
    private String fitUntil;

    @Mixin
    private FraudMetricsOptions metrics;

    @Mixin
    private TrainingOptions training;

    @Mixin
    private FeedbackOptions feedback;

    @Option(names = "--job-option", description = "An option of the job, key=value (e.g. scoring.threshold=0.9).")
    private Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(
            names = "--output",
            defaultValue = "test-harness/target/transaction-corpus",
            description = "Results, metrics and report.")
    private Path output;

    @Override
    public Integer call() throws Exception {
        metrics.check(spec);
        TrainingConfig config;
        try {
            config = training.toBuilder().modelId("transaction-corpus").build();
        } catch (InvalidConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TransactionCorpusRun.Options options;
        try {
            options = new TransactionCorpusRun.Options(
                    inputs,
                    TransactionCommands.columns(spec, columns),
                    fitUntil == null
                            ? null
                            : Instant.ofEpochMilli(TransactionCommands.time(spec, "--fit-until", fitUntil)),
                    fitShare,
                    config,
                    metrics.k(),
                    metrics.fpr(),
                    feedback.merchantRisk() ? feedback.confirmationDelay() : null,
                    jobOptions,
                    output);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        TransactionCorpusRun.Result result = TransactionCorpusRun.run(options, out);
        TransactionCorpusRun.write(
                result,
                output,
                "vigil-harness "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        out.println();
        TransactionCorpusRun.print(result, out);
        out.printf(
                "written    %s (%s, %s, %s, %s, %s)%n",
                output.toAbsolutePath(),
                TransactionEvaluation.CSV_FILE,
                TransactionEvaluation.JSON_FILE,
                HtmlReport.FILE,
                TransactionCorpusRun.DEAD_LETTER_FILE,
                TransactionCorpusRun.RUN_FILE);
        out.flush();
        return 0;
    }
}
