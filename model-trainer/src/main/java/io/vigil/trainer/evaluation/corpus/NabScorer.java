package io.vigil.trainer.evaluation.corpus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * NAB's scoring rules, computed as the reference {@code nab_score.py} (shared tools) does: same numbers, same corpus.
 *
 * <p>Per file of n rows: the first min(floor(0.15 n), 750) rows are probationary and ignored. Windows are
 * opened in list order: the next window opens at the first row whose timestamp equals its start (a window
 * whose start is not a row's timestamp never opens, and neither does any window listed after it), and
 * closes after the row whose timestamp equals its end; "right" is the index of that end row and "width"
 * right - start index + 1. With sig(x) = 2 / (1 + e^(5x)) - 1 (and -1 past x = 3): a detection (score at
 * or above the threshold) at row i inside a window is worth A_TP * sig(-(right - i + 1) / width) / sig(-1)
 * (A_TP at its first row, less later, and only a window's best detection, its first, counts); a missed
 * window adds -A_FN; a detection outside windows adds A_FP * sig((i - right) / (width - 1)) of the previous
 * window (between 0 and -A_FP, growing with the distance), or -A_FP before the first window. The threshold
 * is swept over all scores of the corpus (files in name order, rows stably sorted by decreasing score;
 * equal scores form one threshold) and the best raw score is kept, the highest threshold on ties; 1.1 means
 * nothing detected. The normalised score is 100 (raw - null) / (perfect - null), where the null detector
 * scores 0.5 everywhere and the perfect one 1 exactly on the rows whose timestamp is a window's start (0
 * elsewhere), both swept the same way. Scores are clamped to [0, 1] and NaN counts as 0.
 *
 * <p>Inputs on which the reference fails fail here too, with an explanation: a window whose end is not a
 * row's timestamp, a one-row window followed by rows outside windows (its width - 1 is 0), and a corpus
 * whose null and perfect scores are equal.
 */
public final class NabScorer {

    /** The threshold reported when the best choice is to detect nothing (every score is below it). */
    public static final double NOTHING_DETECTED = 1.1;

    private static final int PROBATIONARY = -2;
    private static final int FALSE_POSITIVE = -1;

    private NabScorer() {}

    /** An application profile: the weights of a true positive, a false positive and a false negative. */
    public record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {

        public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
        public static final Profile REWARD_LOW_FP_RATE = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
        public static final Profile REWARD_LOW_FN_RATE = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);

        /** NAB's three profiles, in the reference's order. */
        public static List<Profile> all() {
            return List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);
        }
    }

    /**
     * One file at a profile's best threshold: windows detected (true positives), rows detected outside any
     * window (false positives, each row counts), windows missed (false negatives) and the file's share of the
     * raw score. Probationary rows, and windows that lie wholly in the probationary period, are not counted.
     */
    public record FileCounts(String name, int truePositives, int falsePositives, int falseNegatives, double rawScore) {}

    /**
     * One profile's result.
     *
     * @param raw        the detector's raw score at the best threshold
     * @param nullRaw    the null detector's best raw score
     * @param perfectRaw the perfect detector's best raw score
     * @param normalized 100 (raw - nullRaw) / (perfectRaw - nullRaw): 0 is the null detector, 100 the perfect one
     * @param threshold  the best threshold (rows scoring at or above it are detections); 1.1 = nothing detected
     * @param files      per-file counts at that threshold, in name order
     */
    public record ProfileScore(
            Profile profile,
            double raw,
            double nullRaw,
            double perfectRaw,
            double normalized,
            double threshold,
            List<FileCounts> files) {

        public ProfileScore {
            files = List.copyOf(files);
        }

        public int truePositives() {
            return files.stream().mapToInt(FileCounts::truePositives).sum();
        }

        public int falsePositives() {
            return files.stream().mapToInt(FileCounts::falsePositives).sum();
        }

        public int falseNegatives() {
            return files.stream().mapToInt(FileCounts::falseNegatives).sum();
        }
    }

    /** The scores of all three profiles, in the order of {@link Profile#all()}. */
    public record Result(List<ProfileScore> profiles) {

        public Result {
            profiles = List.copyOf(profiles);
        }

        public ProfileScore profile(String name) {
            return profiles.stream()
                    .filter(p -> p.profile().name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no profile " + name));
        }

        public ProfileScore standard() {
            return profile(Profile.STANDARD.name());
        }

        public ProfileScore rewardLowFpRate() {
            return profile(Profile.REWARD_LOW_FP_RATE.name());
        }

        public ProfileScore rewardLowFnRate() {
            return profile(Profile.REWARD_LOW_FN_RATE.name());
        }

        /** The reference's last line: {@code nab standard=<x> lowFP=<y> lowFN=<z>}, two decimals. */
        public String summaryLine() {
            return String.format(
                    Locale.ROOT,
                    "nab standard=%.2f lowFP=%.2f lowFN=%.2f",
                    standard().normalized(),
                    rewardLowFpRate().normalized(),
                    rewardLowFnRate().normalized());
        }
    }

    /** Scores a corpus (every file needs scores) under the three profiles. */
    public static Result score(List<LabelledFile> corpus) {
        return new Result(scoreProfiles(corpus, Profile.all()));
    }

    /** Scores a corpus (every file needs scores) under one profile. */
    public static ProfileScore score(List<LabelledFile> corpus, Profile profile) {
        return scoreProfiles(corpus, List.of(profile)).get(0);
    }

    private static List<ProfileScore> scoreProfiles(List<LabelledFile> corpus, List<Profile> profiles) {
        List<LabelledFile> files = inNameOrder(corpus);
        Structure st = Structure.of(files);
        double[] detector = new double[st.size()];
        double[] nullDetector = new double[st.size()];
        double[] perfect = new double[st.size()];
        for (int f = 0; f < files.size(); f++) {
            LabelledFile file = files.get(f);
            double[] s = file.scores();
            if (s == null) {
                throw new IllegalArgumentException(file.name() + " has no scores");
            }
            int off = st.fileStart[f];
            for (int i = 0; i < s.length; i++) {
                detector[off + i] = clamp(s[i]);
            }
            System.arraycopy(nullScores(file), 0, nullDetector, off, file.size());
            System.arraycopy(perfectScores(file), 0, perfect, off, file.size());
        }
        int[] detectorOrder = st.sweepOrder(detector);
        int[] nullOrder = st.sweepOrder(nullDetector);
        int[] perfectOrder = st.sweepOrder(perfect);
        List<ProfileScore> out = new ArrayList<>();
        for (Profile p : profiles) {
            double[] w = st.weights(p);
            double[] d = st.best(detector, detectorOrder, w, p.fnWeight());
            double[] nl = st.best(nullDetector, nullOrder, w, p.fnWeight());
            double[] pf = st.best(perfect, perfectOrder, w, p.fnWeight());
            if (pf[0] == nl[0]) {
                throw new IllegalArgumentException("the null and the perfect detector score the same (" + pf[0]
                        + ") under " + p.name() + ": no window outside the probationary periods, so no normalised"
                        + " score (the reference fails too, dividing by zero)");
            }
            double normalized = 100.0 * (d[0] - nl[0]) / (pf[0] - nl[0]);
            out.add(new ProfileScore(
                    p, d[0], nl[0], pf[0], normalized, d[1], st.counts(files, detector, w, p.fnWeight(), d[1])));
        }
        return out;
    }

    /**
     * The detector's raw score at a given threshold, by direct evaluation (no sweep): the sum over files of
     * {@link FileCounts#rawScore()}. Equal to the sweep's raw score at that threshold up to rounding.
     */
    public static double rawScoreAt(List<LabelledFile> corpus, Profile profile, double threshold) {
        return countsAt(corpus, profile, threshold).stream()
                .mapToDouble(FileCounts::rawScore)
                .sum();
    }

    /** Per-file counts of the detector at a given threshold, in name order. */
    public static List<FileCounts> countsAt(List<LabelledFile> corpus, Profile profile, double threshold) {
        List<LabelledFile> files = inNameOrder(corpus);
        Structure st = Structure.of(files);
        double[] detector = new double[st.size()];
        for (int f = 0; f < files.size(); f++) {
            double[] s = files.get(f).scores();
            if (s == null) {
                throw new IllegalArgumentException(files.get(f).name() + " has no scores");
            }
            for (int i = 0; i < s.length; i++) {
                detector[st.fileStart[f] + i] = clamp(s[i]);
            }
        }
        return st.counts(files, detector, st.weights(profile), profile.fnWeight(), threshold);
    }

    /** The null detector's scores: 0.5 on every row. */
    public static double[] nullScores(LabelledFile file) {
        double[] s = new double[file.size()];
        Arrays.fill(s, 0.5);
        return s;
    }

    /** The perfect detector's scores: 1 on every row whose timestamp is some window's start, 0 elsewhere. */
    public static double[] perfectScores(LabelledFile file) {
        Set<Long> starts = new HashSet<>();
        for (Window w : file.windows()) {
            starts.add(w.start());
        }
        long[] ts = file.timestamps();
        double[] s = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            s[i] = starts.contains(ts[i]) ? 1.0 : 0.0;
        }
        return s;
    }

    /** NAB's scaled sigmoid: 2 / (1 + e^(5x)) - 1, and -1 for x above 3. */
    public static double scaledSigmoid(double x) {
        return x > 3.0 ? -1.0 : 2.0 / (1.0 + StrictMath.exp(5.0 * x)) - 1.0;
    }

    /** Rows 0 .. (this - 1) of a file of n rows are probationary: min(floor(0.15 n), 0.15 * 5000). */
    public static double probationaryRows(int n) {
        return Math.min(Math.floor(0.15 * n), 0.15 * 5000);
    }

    /** The reference's clamp: NaN to 0, then into [0, 1]. */
    static double clamp(double x) {
        double y = x > 0.0 ? x : 0.0;
        return y < 1.0 ? y : 1.0;
    }

    /** Files by name in code-point order (Python's string order), refusing duplicate names. */
    static List<LabelledFile> inNameOrder(List<LabelledFile> corpus) {
        List<LabelledFile> files = new ArrayList<>(corpus);
        files.sort(Comparator.comparing(LabelledFile::name, NabScorer::compareCodePoints));
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i).name().equals(files.get(i - 1).name())) {
                throw new IllegalArgumentException(
                        "two files named " + files.get(i).name());
            }
        }
        return files;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /**
     * What does not depend on the detector or the profile: for every row of every file (files concatenated
     * in name order), its kind (probationary, outside windows, or the id of the window it is in) and its
     * unweighted sigmoid value.
     */
    private static final class Structure {

        private final int[] fileStart;
        private final int[] kind;
        private final double[] unweighted;
        private final int windowCount;

        private Structure(int[] fileStart, int[] kind, double[] unweighted, int windowCount) {
            this.fileStart = fileStart;
            this.kind = kind;
            this.unweighted = unweighted;
            this.windowCount = windowCount;
        }

        int size() {
            return kind.length;
        }

        static Structure of(List<LabelledFile> files) {
            int[] fileStart = new int[files.size() + 1];
            for (int f = 0; f < files.size(); f++) {
                fileStart[f + 1] = fileStart[f] + files.get(f).size();
            }
            int[] kind = new int[fileStart[files.size()]];
            double[] unweighted = new double[kind.length];
            int windowCount = 0;
            for (int f = 0; f < files.size(); f++) {
                LabelledFile file = files.get(f);
                String name = file.name();
                long[] ts = file.timestamps();
                int n = ts.length;
                double probation = probationaryRows(n);
                Map<Long, Integer> index = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    index.put(ts[i], i); // a repeated timestamp maps to its last row, as in the reference
                }
                Map<Long, Integer> windowIds = new HashMap<>(); // the reference names a window "file|start"
                List<Window> windows = file.windows();
                int next = 0;
                Window cur = null;
                int curId = 0;
                int curRight = 0;
                double curWidth = 0;
                boolean hasPrev = false;
                int prevRight = 0;
                double prevWidth = 0;
                for (int i = 0; i < n; i++) {
                    long t = ts[i];
                    if (next < windows.size() && t == windows.get(next).start()) {
                        cur = windows.get(next++);
                        Integer id = windowIds.get(cur.start());
                        if (id == null) {
                            id = windowCount++;
                            windowIds.put(cur.start(), id);
                        }
                        curId = id;
                        Integer right = index.get(cur.end());
                        if (right == null) {
                            throw new IllegalArgumentException(name + ": window " + describe(cur)
                                    + " ends at a timestamp that is not a row's (NAB's rules need it; the"
                                    + " reference fails on it too)");
                        }
                        curRight = right;
                        curWidth = curRight - index.get(cur.start()) + 1;
                    }
                    double u;
                    if (cur != null) {
                        if (curWidth == 0.0) {
                            throw new IllegalArgumentException(name + ": window " + describe(cur)
                                    + " ends the row before it starts (zero width; the reference divides by it)");
                        }
                        u = scaledSigmoid(-(double) (curRight - i + 1) / curWidth);
                    } else if (!hasPrev) {
                        u = -1.0;
                    } else {
                        double denominator = prevWidth - 1;
                        if (denominator == 0.0) {
                            throw new IllegalArgumentException(name + ": a one-row window is followed by rows"
                                    + " outside windows; NAB weighs those by distance / (width - 1), which is"
                                    + " undefined (the reference divides by zero). Make windows at least 2 rows.");
                        }
                        u = scaledSigmoid(Math.abs(prevRight - i) / denominator);
                    }
                    int p = fileStart[f] + i;
                    unweighted[p] = u;
                    kind[p] = i >= probation ? (cur != null ? curId : FALSE_POSITIVE) : PROBATIONARY;
                    if (cur != null && t == cur.end()) {
                        hasPrev = true;
                        prevRight = i;
                        prevWidth = curWidth;
                        cur = null;
                    }
                }
            }
            return new Structure(fileStart, kind, unweighted, windowCount);
        }

        private static String describe(Window w) {
            return "[" + NabFiles.formatLabelTimestamp(w.start()) + ", " + NabFiles.formatLabelTimestamp(w.end()) + "]";
        }

        /** Each row's weighted value under a profile (window rows: A_TP * sig / sig(-1); others: A_FP * sig). */
        double[] weights(Profile profile) {
            double maxTp = scaledSigmoid(-1.0);
            double[] w = new double[kind.length];
            for (int p = 0; p < w.length; p++) {
                w[p] = kind[p] >= 0 ? unweighted[p] * profile.tpWeight() / maxTp : unweighted[p] * profile.fpWeight();
            }
            return w;
        }

        /** The non-probationary rows, stably sorted by decreasing score. */
        int[] sweepOrder(double[] scores) {
            Integer[] order = new Integer[kind.length];
            int m = 0;
            for (int p = 0; p < kind.length; p++) {
                if (kind[p] != PROBATIONARY) {
                    order[m++] = p;
                }
            }
            Integer[] kept = Arrays.copyOf(order, m);
            Arrays.sort(kept, (a, b) -> Double.compare(scores[b], scores[a]));
            int[] out = new int[m];
            for (int k = 0; k < m; k++) {
                out[k] = kept[k];
            }
            return out;
        }

        /** The reference's best_score: {best raw score, its threshold}. */
        double[] best(double[] scores, int[] order, double[] w, double fnWeight) {
            double[] part = new double[windowCount];
            boolean[] counted = new boolean[windowCount];
            double total = 0.0; // the reference sums {"fp": 0.0, window: -A_FN, ...}
            for (int p : order) {
                if (kind[p] >= 0 && !counted[kind[p]]) {
                    counted[kind[p]] = true;
                    part[kind[p]] = -fnWeight;
                    total += -fnWeight;
                }
            }
            double best = total;
            double bestThreshold = NOTHING_DETECTED;
            double threshold = NOTHING_DETECTED;
            for (int p : order) {
                double s = scores[p];
                if (s != threshold) {
                    if (total > best) {
                        best = total;
                        bestThreshold = threshold;
                    }
                    threshold = s;
                }
                int k = kind[p];
                if (k == FALSE_POSITIVE) {
                    total += w[p];
                } else if (w[p] > part[k]) {
                    total += w[p] - part[k];
                    part[k] = w[p];
                }
            }
            if (total > best) {
                best = total;
                bestThreshold = threshold;
            }
            return new double[] {best, bestThreshold};
        }

        /** Per-file counts and raw score with rows scoring at or above the threshold detected. */
        List<FileCounts> counts(
                List<LabelledFile> files, double[] scores, double[] w, double fnWeight, double threshold) {
            List<FileCounts> out = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                Map<Integer, Double> part = new HashMap<>();
                int fp = 0;
                double fpSum = 0;
                for (int p = fileStart[f]; p < fileStart[f + 1]; p++) {
                    int k = kind[p];
                    if (k == PROBATIONARY) {
                        continue;
                    }
                    if (k >= 0) {
                        part.putIfAbsent(k, -fnWeight);
                    }
                    if (scores[p] >= threshold) {
                        if (k == FALSE_POSITIVE) {
                            fp++;
                            fpSum += w[p];
                        } else if (w[p] > part.get(k)) {
                            part.put(k, w[p]);
                        }
                    }
                }
                int tp = 0;
                double raw = fpSum;
                List<Integer> ids = new ArrayList<>(part.keySet());
                ids.sort(null);
                for (int k : ids) {
                    double v = part.get(k);
                    raw += v;
                    if (v != -fnWeight) {
                        tp++;
                    }
                }
                out.add(new FileCounts(files.get(f).name(), tp, fp, part.size() - tp, raw));
            }
            return out;
        }
    }
}
