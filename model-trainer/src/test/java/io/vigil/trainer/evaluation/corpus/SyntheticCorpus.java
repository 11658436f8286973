package io.vigil.trainer.evaluation.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/** Small deterministic NAB-style corpora and detectors for the scorer tests (built in code, no data files). */
final class SyntheticCorpus {

    /** 2014-04-01 00:00:00 UTC. */
    static final long BASE = 1_396_310_400_000L;
    /** Five minutes, NAB's usual spacing. */
    static final long STEP = 300_000L;

    private SyntheticCorpus() {}

    static long ts(int row) {
        return BASE + row * STEP;
    }

    static long[] timestamps(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = ts(i);
        }
        return t;
    }

    static Window rows(int first, int last) {
        return new Window(ts(first), ts(last));
    }

    static LabelledFile file(String name, int n, Window... windows) {
        return LabelledFile.ofWindows(name, timestamps(n), List.of(windows));
    }

    /**
     * Four files: windows well after the probationary period, one window that straddles it (beta: rows
     * 30-69, probationary rows 0-44), a file without windows, and a window that ends on the last row.
     * 12 of 1310 rows are windows' starts.
     */
    static List<LabelledFile> main() {
        return List.of(
                file("synthetic/alpha.csv", 400, rows(100, 139), rows(250, 289)),
                file("synthetic/beta.csv", 300, rows(30, 69), rows(200, 229)),
                file("synthetic/gamma.csv", 250),
                file("other/delta.csv", 360, rows(300, 359)));
    }

    /**
     * The reference's edge cases: a window whose start is not a row's timestamp (it never opens, and blocks
     * the window after it), windows listed out of time order (the earlier one never opens), a file without
     * windows, a long file whose probationary period is capped at 750 rows (0.15 * 5000; its first window,
     * rows 700-799, straddles it) and an ordinary file.
     */
    static List<LabelledFile> edge() {
        return List.of(
                file("edge/blocked.csv", 300, new Window(ts(80) + 60_000, ts(120)), rows(200, 239)),
                file("edge/unordered.csv", 320, rows(200, 230), rows(80, 110)),
                file("edge/nowindows.csv", 200),
                file("edge/long.csv", 6000, rows(700, 799), rows(3000, 3099)),
                file("edge/plain.csv", 300, rows(150, 189)));
    }

    /** The files with scores from a detector. */
    static List<LabelledFile> scored(List<LabelledFile> corpus, Function<LabelledFile, double[]> detector) {
        List<LabelledFile> out = new ArrayList<>();
        for (LabelledFile f : corpus) {
            out.add(f.withScores(detector.apply(f)));
        }
        return out;
    }

    /** 1 exactly on the rows whose timestamp is a window's start, 0 elsewhere (NAB's perfect detector). */
    static double[] perfect(LabelledFile f) {
        long[] t = f.timestamps();
        double[] s = new double[t.length];
        for (Window w : f.windows()) {
            for (int i = 0; i < t.length; i++) {
                if (t[i] == w.start()) {
                    s[i] = 1.0;
                }
            }
        }
        return s;
    }

    static double[] zeros(LabelledFile f) {
        return new double[f.size()];
    }

    /** floor(0.15 n) for the small files here (all under 5000 rows). */
    static int probation(int n) {
        return (int) Math.floor(0.15 * n);
    }

    /** 1 on every probationary row, 0 after. */
    static double[] probationaryOnly(LabelledFile f) {
        double[] s = new double[f.size()];
        for (int i = 0; i < probation(f.size()); i++) {
            s[i] = 1.0;
        }
        return s;
    }

    /** Rows outside all windows and after the probationary period where {@link #fewFalsePositives} fires. */
    static final Map<String, Set<Integer>> FALSE_POSITIVE_ROWS = Map.of(
            "synthetic/alpha.csv", Set.of(70, 142, 395),
            "synthetic/beta.csv", Set.of(80, 150, 295),
            "synthetic/gamma.csv", Set.of(40, 100, 245),
            "other/delta.csv", Set.of(60, 200, 250));

    /** The perfect detector plus score 1 on three rows outside windows in each file. */
    static double[] fewFalsePositives(LabelledFile f) {
        double[] s = perfect(f);
        for (int row : FALSE_POSITIVE_ROWS.get(f.name())) {
            s[row] = 1.0;
        }
        return s;
    }

    /** 1 on the middle row of each window's rows, 0 elsewhere. */
    static double[] late(LabelledFile f) {
        double[] s = new double[f.size()];
        for (int[] r : f.windowRows()) {
            s[(r[0] + r[1]) / 2] = 1.0;
        }
        return s;
    }

    /** The perfect detector, plus a detection on beta's first non-probationary row (inside its straddling window). */
    static double[] straddle(LabelledFile f) {
        double[] s = perfect(f);
        if (f.name().equals("synthetic/beta.csv")) {
            s[45] = 1.0;
        }
        return s;
    }

    /**
     * {@link #fewFalsePositives} with its 1s written as 7 or +infinity and its 0s as NaN or -0.5: the reference
     * clamps scores to [0, 1] and reads NaN as 0, so this scores the same.
     */
    static double[] wild(LabelledFile f) {
        double[] s = fewFalsePositives(f);
        for (int i = 0; i < s.length; i++) {
            s[i] = s[i] == 1.0 ? (i % 2 == 0 ? 7.0 : Double.POSITIVE_INFINITY) : (i % 3 == 0 ? Double.NaN : -0.5);
        }
        return s;
    }

    /**
     * Pseudo-random scores in thousandths (so they print exactly and tie often): background below 0.3, some
     * window rows between 0.4 and 1, and four spikes per file between 0.5 and 1. Seeded per file name.
     */
    static double[] noisy(LabelledFile f) {
        Random r = new Random(f.name().hashCode());
        double[] s = new double[f.size()];
        boolean[] labels = f.labels();
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(300) / 1000.0;
            if (labels[i] && r.nextInt(10) < 3) {
                s[i] = (400 + r.nextInt(601)) / 1000.0;
            }
        }
        for (int k = 0; k < 4; k++) {
            s[r.nextInt(s.length)] = (500 + r.nextInt(501)) / 1000.0;
        }
        return s;
    }
}
