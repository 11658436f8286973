package io.vigil.harness.cli;

import io.vigil.harness.corpus.CorpusOptions;
import io.vigil.harness.corpus.CorpusReport;
import io.vigil.harness.corpus.CorpusRun;
import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.training.TrainingConfig;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code corpus}: the benchmark protocol on any labelled corpus of CSV files, through the real pipeline. */
@Command(name = "corpus", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks Vigil on a labelled corpus of CSV files: fits one bundle (each file standardised with",
            "its own statistics) on each file's first rows and/or normal-only files, streams every row of every file",
            "through Kafka and the Flink job, and writes per-row scores, SKAB metrics (F1, FAR, MAR), window metrics,",
            "the NAB score (standard, low FP, low FN) and an HTML report.",
            "SKAB: corpus --separator ';' --label-column anomaly --exclude changepoint --fit-rows 400 skab/data/valve1 skab/data/valve2",
            "NAB:  corpus --labels-json labels/combined_windows.json --fit-fraction 0.15 --score-from 0 nab/data"})
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

    @Option(names = "--fit-rows", description = "Fit on each file's first N rows. Default: ${DEFAULT-VALUE} (off).")
    private int fitRows;

    @Option(names = "--fit-fraction", description = "Fit on this share of each file's first rows (when --fit-rows is 0).")
    private double fitFraction;

    @Option(names = "--fit-file", description = "A normal-only file to fit on too; repeat as needed.")
    private List<Path> fitFiles = new ArrayList<>();

    @Option(names = "--score-from", description = "Row of each file from which metrics count. Default: the fitted rows.")
    private int scoreFrom = -1;

    @Option(names = "--max-epochs", description = "Training epochs at most. Default: ${DEFAULT-VALUE}.")
    private int maxEpochs = TrainingConfig.DEFAULT_MAX_EPOCHS;

    @Option(names = "--threshold-kind", description = "quantile or pot. Default: ${DEFAULT-VALUE}.")
    private String thresholdKind = TrainingConfig.DEFAULT_THRESHOLD_KIND;

    @Option(names = "--difference", split = ",", paramLabel = "<column>",
            description = "Columns the networks see as first differences (slow channels that drift). Default: none.")
    private List<String> difference = new ArrayList<>();

    @Option(names = "--seed", description = "Training seed. Default: ${DEFAULT-VALUE}.")
    private long seed = TrainingConfig.DEFAULT_SEED;

    @Option(names = "--upper-tail-only", description = "Only errors above a channel's normal count (not unusually"
            + " small ones).")
    private boolean upperTailOnly;

    @Option(names = "--job-option", description = "An option of the job, key=value (e.g. alert.resolve-after=20).")
    private Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(names = "--tolerance-rows", description = "Rows after a window an alert still detects it. Default: ${DEFAULT-VALUE}.")
    private int toleranceRows = 32;

    @Option(names = "--output", description = "Results, metrics and report. Default: ${DEFAULT-VALUE}.")
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
        HistoryOptions history = HistoryOptions.defaults().withExclude(exclude)
                .withLabelColumn(labelColumn == null ? (labelsJson == null ? null : HistoryOptions.NO_LABEL) : labelColumn);
        if (separator != null) {
            history = history.withSeparator(HistoryOptions.parseSeparator(separator));
        }
        if (timestampColumn != null) {
            history = history.withTimestampColumn(timestampColumn);
        }
        CorpusOptions options;
        try {
            options = new CorpusOptions(files, root != null ? root : commonRoot(files), history, labelsJson, fitRows,
                    fitFraction, fitFiles, scoreFrom, TrainingConfig.builder().modelId("corpus").maxEpochs(maxEpochs)
                            .thresholdKind(thresholdKind).differenced(difference).lowerTail(!upperTailOnly).seed(seed)
                            .build(), jobOptions, toleranceRows, output);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        CorpusRun.Result run = CorpusRun.run(options, out);
        CorpusReport.Metrics metrics = CorpusReport.metrics(run, options);
        CorpusReport.write(run, metrics, options, "vigil-harness " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs()));
        out.println();
        out.print(CorpusReport.summary(metrics));
        out.printf("written            %s (results/, metrics.md, metrics.json, report.html)%n", output.toAbsolutePath());
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
