package io.vigil.harness.corpus;

import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to benchmark a labelled corpus of CSV files.
 *
 * @param files the corpus files (each is one key)
 * @param root what file names are relative to (the results mirror it)
 * @param history how to read the CSVs (separator, columns, the per-row label column if any)
 * @param labelsJson NAB-style label windows per file ("category/file.csv" -> [[start, end], ...]), or null
 * @param fitRows fit on each file's first rows: this many ...
 * @param fitFraction ... or this share of it (used when fitRows is 0) ...
 * @param fitMaxRows ... but at most this many (0: no limit); NAB's probationary period is 15%, at most 750
 * @param fitFiles separate normal-only files to fit on as well (or only, when fitRows and fitFraction are 0)
 * @param scoreFrom the row of each file from which metrics count (SKAB: 400); -1 = the fitted rows
 * @param training the trainer's configuration (the same for every file)
 * @param jobSettings extra job options (key -> value) on top of the defaults
 * @param toleranceRows rows after a window's end an alert may still be raised and count as detecting it
 * @param output where results, metrics and the report go
 */
public record CorpusOptions(
        List<Path> files,
        Path root,
        HistoryOptions history,
        Path labelsJson,
        int fitRows,
        double fitFraction,
        int fitMaxRows,
        List<Path> fitFiles,
        int scoreFrom,
        TrainingConfig training,
        Map<String, String> jobSettings,
        int toleranceRows,
        Path output) {

    public CorpusOptions {
        files = List.copyOf(files);
        fitFiles = List.copyOf(fitFiles);
        jobSettings = Map.copyOf(jobSettings);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the corpus has no CSV files");
        }
        if (fitRows < 0 || fitMaxRows < 0 || !(fitFraction >= 0 && fitFraction < 1)) {
            throw new IllegalArgumentException("fit rows must not be negative and the fit fraction must be in [0, 1)");
        }
        if (fitRows == 0 && fitFraction == 0 && fitFiles.isEmpty()) {
            throw new IllegalArgumentException("nothing to fit on: give --fit-rows, --fit-fraction or --fit-file");
        }
        if (toleranceRows < 0) {
            throw new IllegalArgumentException("tolerance must not be negative, is " + toleranceRows);
        }
    }

    /** NAB's probationary period: the fit part is 15% of a file's rows, at most 750. */
    public static final double NAB_FIT_FRACTION = 0.15;

    public static final int NAB_FIT_MAX_ROWS = 750;

    /** Rows of a file of {@code n} rows that the model is fitted on. */
    public int fitted(int n) {
        int rows = fitRows > 0 ? Math.min(fitRows, n) : (int) Math.floor(fitFraction * n);
        return fitMaxRows > 0 ? Math.min(rows, fitMaxRows) : rows;
    }

    /** The first row of a file of {@code n} rows that metrics count. */
    public int firstScored(int n) {
        return scoreFrom >= 0 ? Math.min(scoreFrom, n) : fitted(n);
    }
}
