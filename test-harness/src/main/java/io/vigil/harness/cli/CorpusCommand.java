package io.vigil.harness.cli;

import io.vigil.harness.corpus.CorpusOptions;
import io.vigil.harness.corpus.CorpusReport;
import io.vigil.harness.corpus.CorpusRun;
import io.vigil.trainer.cli.TrainingOptions;
import io.vigil.trainer.history.HistoryOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corpus}: the benchmark protocol on any labelled corpus of CSV files, through the real pipeline. */
@Command(
        name = "corpus",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        description = {
            "Benchmarks Vigil on a labelled corpus of CSV files: fits one bundle (each file standardised with",
            "its own statistics) on each file's first rows and/or normal-only files, streams every row of every file",
            "through Kafka and the Flink job (each file's rows in file order, scored by position), and writes per-row",
            "results (NAB's layout), SKAB metrics (F1, FAR, MAR), window metrics, the NAB score (standard, low FP,",
            "low FN) on the scores and on the opened alerts, and an HTML report. The options below describe the data;",
            "the detector's own settings are decided from the fit data (experts can set them, see the training options).",
            "SKAB: corpus --separator ';' --label-column anomaly --exclude changepoint --fit-rows 400 skab/data/valve1 skab/data/valve2",
            "NAB:  corpus --nab --labels-json labels/combined_windows.json nab/data"
        })
public final class CorpusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", description = "CSV files or directories (searched for *.csv).")
    private List<Path> inputs;

    @Option(names = "--root", description = "What file names are relative to. Default: the inputs' common directory.")
    private Path root;

    @Option(names = "--separator", description = "Column separator. Default: detected.")
    private String separator;

    @Option(names = "--timestamp-column", description = "Default: timestamp or datetime.")
    private String timestampColumn;

    @Option(names = "--label-column", description = "Per-row label column (non-zero = anomalous), as in SKAB.")
    private String labelColumn;

    @Option(names = "--labels-json", description = "Label windows per file, as in NAB's combined_windows.json.")
    private Path labelsJson;

    @Option(names = "--exclude", split = ",", description = "Columns that are neither values nor labels.")
    private List<String> exclude = List.of();

    @Option(names = "--fit-rows", description = "Fit on each file's first N rows; 0 = off.")
    private int fitRows;

    @Option(
            names = "--fit-fraction",
            description = "Fit on this share of each file's first rows (when --fit-rows is 0).")
    private double fitFraction;

    @Option(names = "--fit-max-rows", description = "Fit on at most this many rows of each file. Default: no limit.")
    private int fitMaxRows;

    @Option(
            names = "--nab",
            description = "NAB's protocol: fit on each file's probationary part (15% of its rows, at most"
                    + " 750) and count every row (NAB's scorer leaves the probationary rows out itself).")
    private boolean nab;

    @Option(names = "--fit-file", description = "A normal-only file to fit on too; repeat as needed.")
    private List<Path> fitFiles = new ArrayList<>();

    @Option(
            names = "--score-from",
            description = "Row of each file from which metrics count. Default: the fitted rows.")
    private int scoreFrom = -1;

    @Mixin
    private TrainingOptions training;

    @Option(names = "--job-option", description = "An option of the job, key=value (e.g. alert.resolve-after=20).")
    private Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(names = "--tolerance-rows", description = "Rows after a window an alert still detects it.")
    private int toleranceRows = 32;

    @Option(names = "--output", description = "Results, metrics and report.")
    private Path output = Path.of("test-harness/target/corpus");

    @Override
    public Integer call() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".csv")).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new ParameterException(spec.commandLine(), "No such file or directory: " + p);
            }
        }
        files.removeIf(f -> fitFiles.stream().anyMatch(ff -> same(ff, f)));
        HistoryOptions history = HistoryOptions.defaults()
                .withExclude(exclude)
                .withLabelColumn(
                        labelColumn == null ? (labelsJson == null ? null : HistoryOptions.NO_LABEL) : labelColumn);
        if (separator != null) {
            history = history.withSeparator(HistoryOptions.parseSeparator(separator));
        }
        if (timestampColumn != null) {
            history = history.withTimestampColumn(timestampColumn);
        }
        if (nab) {
            if (labelsJson == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--nab needs the label windows: --labels-json" + " <labels/combined_windows.json>");
            }
            if (fitRows > 0 || fitFraction > 0 || fitMaxRows > 0 || scoreFrom >= 0) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--nab sets the fit part and the scored rows itself;"
                                + " leave out --fit-rows, --fit-fraction, --fit-max-rows and --score-from");
            }
        }
        CorpusOptions options;
        try {
            options = new CorpusOptions(
                    files,
                    root != null ? root : commonRoot(files),
                    history,
                    labelsJson,
                    fitRows,
                    nab ? CorpusOptions.NAB_FIT_FRACTION : fitFraction,
                    nab ? CorpusOptions.NAB_FIT_MAX_ROWS : fitMaxRows,
                    fitFiles,
                    nab ? 0 : scoreFrom,
                    training.toBuilder().modelId("corpus").build(),
                    jobOptions,
                    toleranceRows,
                    output);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        CorpusRun.Result run = CorpusRun.run(options, out);
        CorpusReport.Metrics metrics = CorpusReport.metrics(run, options);
        CorpusReport.write(
                run,
                metrics,
                options,
                "vigil-harness "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        out.println();
        out.print(CorpusReport.summary(metrics));
        out.printf(
                "written            %s (results/, metrics.md, metrics.json, report.html)%n", output.toAbsolutePath());
        out.flush();
        return 0;
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path commonRoot(List<Path> files) {
        Path common = files.get(0).toAbsolutePath().getParent();
        for (Path f : files) {
            while (!f.toAbsolutePath().startsWith(common)) {
                common = common.getParent();
            }
        }
        return common;
    }
}
