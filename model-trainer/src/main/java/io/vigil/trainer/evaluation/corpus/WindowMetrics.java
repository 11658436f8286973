package io.vigil.trainer.evaluation.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Window-level recall, alert-episode precision and detection delay (in rows) of binary verdicts.
 *
 * <p>Per file, each window is taken as the rows it covers, [first, last]; with a tolerance of {@code k} rows
 * its detection zone is rows [first, last + k] (clipped to the file). A window is detected when some
 * predicted row lies in its zone, with delay = (first predicted row in the zone) - first. An episode is true
 * when its first row lies in some window's zone (an episode that starts before a window and runs into it
 * detects the window, with delay 0, but is itself a false episode). Rows before {@code firstScoredRow} are
 * ignored: their verdicts count as negative, windows are clipped to start there, and a window that ends
 * before it is not counted.
 *
 * @param windows         true windows counted
 * @param detectedWindows of which detected
 * @param episodes        alert episodes (runs of predicted rows)
 * @param trueEpisodes    of which starting inside some window's zone
 * @param delaysRows      the delay of each detected window, in rows, in corpus and window order
 * @param medianDelayRows nearest-rank median of the delays (NaN when nothing was detected)
 * @param p90DelayRows    nearest-rank 90th percentile of the delays (NaN when nothing was detected)
 */
public record WindowMetrics(
        int windows,
        int detectedWindows,
        int episodes,
        int trueEpisodes,
        List<Integer> delaysRows,
        double medianDelayRows,
        double p90DelayRows) {

    public WindowMetrics {
        delaysRows = List.copyOf(delaysRows);
    }

    /** From each file's own binary verdicts ({@link LabelledFile#predicted()}, which must be present). */
    public static WindowMetrics ofPredictions(List<LabelledFile> corpus, int toleranceRows, int firstScoredRow) {
        return of(corpus, toleranceRows, firstScoredRow, LabelledFile::requirePredicted);
    }

    /** From the scores: a row is predicted anomalous when its score is at least {@code threshold}. */
    public static WindowMetrics atThreshold(
            List<LabelledFile> corpus, double threshold, int toleranceRows, int firstScoredRow) {
        return of(corpus, toleranceRows, firstScoredRow, f -> f.predictedAt(threshold));
    }

    private static WindowMetrics of(
            List<LabelledFile> corpus,
            int toleranceRows,
            int firstScoredRow,
            Function<LabelledFile, boolean[]> verdicts) {
        if (toleranceRows < 0 || firstScoredRow < 0) {
            throw new IllegalArgumentException(
                    "tolerance and firstScoredRow must be 0 or more, got " + toleranceRows + " and " + firstScoredRow);
        }
        int windows = 0;
        int detected = 0;
        int episodes = 0;
        int trueEpisodes = 0;
        List<Integer> delays = new ArrayList<>();
        for (LabelledFile f : corpus) {
            boolean[] predicted = verdicts.apply(f);
            int n = predicted.length;
            for (int i = 0; i < Math.min(firstScoredRow, n); i++) {
                predicted[i] = false;
            }
            List<int[]> zones = new ArrayList<>();
            for (int[] rows : f.windowRows()) {
                if (rows[1] < firstScoredRow) {
                    continue;
                }
                int first = Math.max(rows[0], firstScoredRow);
                int zoneEnd = (int) Math.min((long) rows[1] + toleranceRows, n - 1L);
                zones.add(new int[] {first, zoneEnd});
                windows++;
                for (int i = first; i <= zoneEnd; i++) {
                    if (predicted[i]) {
                        detected++;
                        delays.add(i - first);
                        break;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (predicted[i] && (i == 0 || !predicted[i - 1])) {
                    episodes++;
                    for (int[] z : zones) {
                        if (i >= z[0] && i <= z[1]) {
                            trueEpisodes++;
                            break;
                        }
                    }
                }
            }
        }
        int[] sorted = delays.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new WindowMetrics(
                windows, detected, episodes, trueEpisodes, delays, nearestRank(sorted, 0.5), nearestRank(sorted, 0.9));
    }

    /** The value at rank ceil(p * n) of the sorted values (1-based), NaN when there are none. */
    static double nearestRank(int[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Detected windows / windows; 0 when there are no windows. */
    public double recall() {
        return windows == 0 ? 0 : (double) detectedWindows / windows;
    }

    /** True episodes / episodes; 0 when nothing was predicted. */
    public double precision() {
        return episodes == 0 ? 0 : (double) trueEpisodes / episodes;
    }

    public int missedWindows() {
        return windows - detectedWindows;
    }

    public int falseEpisodes() {
        return episodes - trueEpisodes;
    }
}
