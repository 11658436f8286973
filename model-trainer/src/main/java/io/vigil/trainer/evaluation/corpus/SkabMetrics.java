package io.vigil.trainer.evaluation.corpus;

import io.vigil.trainer.evaluation.Confusion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * SKAB's per-row F1, FAR % and MAR %: one {@link Confusion} over the scored rows of all files, against their labels.
 *
 * <p>The scored rows of a file are those at index {@code >= firstScoredRow} (SKAB fits on the first 400).
 *
 * @param confusion the pooled counts over all files' scored rows
 * @param files     each file's own counts, in corpus order
 */
public record SkabMetrics(Confusion confusion, List<FileConfusion> files) {

    /** SKAB's protocol: the first 400 rows of each file are for fitting and not scored. */
    public static final int SKAB_FIRST_SCORED_ROW = 400;

    /** One file's counts over its scored rows. */
    public record FileConfusion(String name, Confusion confusion) {}

    public SkabMetrics {
        files = List.copyOf(files);
    }

    /** From each file's own binary verdicts ({@link LabelledFile#predicted()}, which must be present). */
    public static SkabMetrics ofPredictions(List<LabelledFile> corpus, int firstScoredRow) {
        return of(corpus, firstScoredRow, LabelledFile::requirePredicted);
    }

    /** From the scores: a row is predicted anomalous when its score is at least {@code threshold}. */
    public static SkabMetrics atThreshold(List<LabelledFile> corpus, int firstScoredRow, double threshold) {
        return of(corpus, firstScoredRow, f -> f.predictedAt(threshold));
    }

    private static SkabMetrics of(
            List<LabelledFile> corpus, int firstScoredRow, Function<LabelledFile, boolean[]> verdicts) {
        if (firstScoredRow < 0) {
            throw new IllegalArgumentException("firstScoredRow must be 0 or more, got " + firstScoredRow);
        }
        Confusion total = new Confusion(0, 0, 0, 0);
        List<FileConfusion> perFile = new ArrayList<>();
        for (LabelledFile f : corpus) {
            boolean[] predicted = verdicts.apply(f);
            boolean[] labels = f.labels();
            int from = Math.min(firstScoredRow, labels.length);
            Confusion c = Confusion.of(
                    Arrays.copyOfRange(predicted, from, predicted.length),
                    Arrays.copyOfRange(labels, from, labels.length));
            perFile.add(new FileConfusion(f.name(), c));
            total = total.plus(c);
        }
        return new SkabMetrics(total, perFile);
    }

    /** SKAB's F1 = TP / (TP + (FP + FN) / 2), as a fraction. */
    public double f1() {
        return confusion.f1();
    }

    /** False alarm rate FP / (FP + TN), in percent (SKAB's FAR). */
    public double farPercent() {
        return 100 * confusion.falseAlarmRate();
    }

    /** Missed alarm rate FN / (FN + TP), in percent (SKAB's MAR). */
    public double marPercent() {
        return 100 * confusion.missedAlarmRate();
    }
}
