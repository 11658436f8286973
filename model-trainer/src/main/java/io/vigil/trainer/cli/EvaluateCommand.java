package io.vigil.trainer.cli;

import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.evaluation.Evaluator;
import io.vigil.trainer.history.History;
import io.vigil.trainer.history.HistoryReader;
import io.vigil.trainer.report.HtmlReport;
import io.vigil.trainer.report.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/** {@code vigil-trainer evaluate}: scores labelled history with a bundle and writes evaluation.json and scores.csv. */
@Command(
        name = "evaluate",
        showDefaultValues = true,
        header = "Evaluate a bundle on labelled history.",
        sortOptions = false,
        description = {
            "Scores labelled history with a bundle, through the same scorer the streaming job uses, and reports"
                    + " event-level precision, recall, F1, false and missed alarm rates at the bundle's threshold,"
                    + " plus ROC-AUC and PR-AUC.",
            "Writes " + EvaluationReport.JSON_FILE + " and " + EvaluationReport.SCORES_FILE + " into --output."
        })
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "<history>", arity = "1..*", description = "Labelled history files or directories.")
    List<Path> inputs;

    @Mixin
    BundleInputMixin bundle;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "<dir>",
            required = true,
            description = "Directory for " + EvaluationReport.JSON_FILE + " and " + EvaluationReport.SCORES_FILE
                    + " (created if absent; those two files are replaced).")
    Path output;

    @Option(
            names = "--threshold",
            paramLabel = "<score>",
            description = "Evaluate at this threshold in (0, 1) instead of the bundle's.")
    Double threshold;

    @Mixin
    HistoryOptionsMixin history;

    @Override
    public Integer call() throws Exception {
        Scorer.Settings settings = Cli.scorerSettings(spec, threshold);
        var options = Cli.historyOptions(spec, history);
        ScoringModel model = bundle.read();
        History h = HistoryReader.read(inputs, options);
        EvaluationReport report = Evaluator.evaluate(model, h, settings);
        report.writeTo(output);
        Path html = output.resolve(HtmlReport.FILE);
        HtmlReport.write(
                Reports.fromEvaluation(
                        report,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS) + " \u00b7 vigil-trainer evaluate --bundle "
                                + bundle.dir),
                html);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "model       %s version %s, threshold %.6f%s%n",
                model.modelId(),
                model.version(),
                report.subject().threshold(),
                threshold == null ? "" : " (overridden)");
        out.printf(
                Locale.ROOT,
                "history     %d entities, %d rows; %d events not counted (window + warm-up)%n",
                h.entities(),
                h.rows(),
                report.warmupEvents());
        out.println("result      " + Cli.metrics(report));
        out.println("written     " + output.resolve(EvaluationReport.JSON_FILE) + ", "
                + output.resolve(EvaluationReport.SCORES_FILE) + ", " + html + " (open it in a browser)");
        out.flush();
        return 0;
    }
}
