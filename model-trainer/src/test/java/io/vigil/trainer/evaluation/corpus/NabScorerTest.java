package io.vigil.trainer.evaluation.corpus;

import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.file;
import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.rows;
import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.scored;
import static io.vigil.trainer.evaluation.corpus.SyntheticCorpus.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.vigil.trainer.evaluation.corpus.NabScorer.FileCounts;
import io.vigil.trainer.evaluation.corpus.NabScorer.Profile;
import io.vigil.trainer.evaluation.corpus.NabScorer.ProfileScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NabScorerTest {

    private static final List<LabelledFile> MAIN = SyntheticCorpus.main();

    /** The published sigmoid, written out here independently of the scorer. */
    private static double sig(double x) {
        return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
    }

    @Test
    void theSigmoidAndTheProbationaryPeriod() {
        assertThat(NabScorer.scaledSigmoid(-1)).isCloseTo(2 / (1 + Math.exp(-5)) - 1, within(1e-15));
        assertThat(NabScorer.scaledSigmoid(0)).isEqualTo(0.0);
        assertThat(NabScorer.scaledSigmoid(3.0)).isCloseTo(2 / (1 + Math.exp(15)) - 1, within(1e-15));
        assertThat(NabScorer.scaledSigmoid(3.0001)).isEqualTo(-1.0);
        assertThat(NabScorer.probationaryRows(400)).isEqualTo(60.0);
        assertThat(NabScorer.probationaryRows(250)).isEqualTo(37.0);
        assertThat(NabScorer.probationaryRows(5000)).isEqualTo(750.0);
        assertThat(NabScorer.probationaryRows(22695)).isEqualTo(750.0);
    }

    @Test
    void thePerfectDetectorScores100InEveryProfile() {
        NabScorer.Result r = NabScorer.score(scored(MAIN, SyntheticCorpus::perfect));

        // 5 windows count; beta's first (rows 30-69) starts in the probationary period (rows 0-44), so the
        // perfect detector, which fires on its start row only, misses it: perfect = 4 TP - 1 FN.
        double[] perfectRaw = {3, 3, 2};
        double[] nullRaw = {-5, -5, -10};
        for (int k = 0; k < 3; k++) {
            ProfileScore p = r.profiles().get(k);
            assertThat(p.normalized()).as(p.profile().name()).isCloseTo(100.0, within(1e-9));
            assertThat(p.raw()).isEqualTo(p.perfectRaw());
            assertThat(p.perfectRaw()).isCloseTo(perfectRaw[k], within(1e-12));
            assertThat(p.nullRaw()).isEqualTo(nullRaw[k]);
            assertThat(p.threshold()).isEqualTo(1.0);
        }
        assertThat(r.standard().files())
                .containsExactly(
                        new FileCounts("other/delta.csv", 1, 0, 0, 1.0),
                        new FileCounts("synthetic/alpha.csv", 2, 0, 0, 2.0),
                        new FileCounts("synthetic/beta.csv", 1, 0, 1, 0.0),
                        new FileCounts("synthetic/gamma.csv", 0, 0, 0, 0.0));
        assertThat(r.summaryLine()).isEqualTo("nab standard=100.00 lowFP=100.00 lowFN=100.00");
    }

    @Test
    void theNullDetectorAndAConstantScoreScoreZero() {
        for (double constant : new double[] {0.0, 0.5, 1.0}) {
            NabScorer.Result r = NabScorer.score(scored(MAIN, f -> {
                double[] s = new double[f.size()];
                Arrays.fill(s, constant);
                return s;
            }));
            for (ProfileScore p : r.profiles()) {
                assertThat(p.normalized())
                        .as(constant + " " + p.profile().name())
                        .isEqualTo(0.0);
                assertThat(p.threshold()).isEqualTo(NabScorer.NOTHING_DETECTED);
                assertThat(p.truePositives()).isZero();
                assertThat(p.falsePositives()).isZero();
                assertThat(p.falseNegatives()).isEqualTo(5);
            }
        }
    }

    @Test
    void detectionsOnlyInTheProbationaryPeriodScoreZero() {
        NabScorer.Result r = NabScorer.score(scored(MAIN, SyntheticCorpus::probationaryOnly));

        for (ProfileScore p : r.profiles()) {
            assertThat(p.normalized()).isEqualTo(0.0);
            assertThat(p.raw()).isEqualTo(p.nullRaw());
            assertThat(p.falsePositives()).isZero();
        }
    }

    @Test
    void falsePositivesCostBySigmoidOfTheDistanceToThePreviousWindowAndLowFpCostsMore() {
        NabScorer.Result r = NabScorer.score(scored(MAIN, SyntheticCorpus::fewFalsePositives));

        // alpha: FPs at rows 70 (before any window: -1), 142 (3 rows after a 40-row window ending at 139),
        // 395 (106 rows after the window ending at 289); beta: 80 and 150 after its window ending at 69
        // (width 40), 295 after the 30-row window ending at 229; gamma and delta: all before any window.
        double alphaU = -1 + sig(3 / 39.0) + sig(106 / 39.0);
        double betaU = sig(11 / 39.0) + sig(81 / 39.0) + sig(66 / 29.0);
        double[] fpWeight = {0.11, 0.22, 0.11};
        double[] fnWeight = {1, 1, 2};
        for (int k = 0; k < 3; k++) {
            ProfileScore p = r.profiles().get(k);
            double a = fpWeight[k];
            double raw = (2 + a * alphaU) + (1 - fnWeight[k] + a * betaU) + (-3 * a) + (1 - 3 * a);
            assertThat(p.raw()).as(p.profile().name()).isCloseTo(raw, within(1e-12));
            assertThat(p.threshold()).isEqualTo(1.0);
            assertThat(p.normalized())
                    .isCloseTo(100 * (raw - p.nullRaw()) / (p.perfectRaw() - p.nullRaw()), within(1e-9));
            assertThat(p.normalized()).isLessThan(100);
        }
        assertThat(r.rewardLowFpRate().normalized()).isLessThan(r.standard().normalized() - 10);
        assertThat(r.standard().normalized()).isCloseTo(85.153, within(0.001));
        assertThat(r.standard().files())
                .extracting(
                        FileCounts::name,
                        FileCounts::truePositives,
                        FileCounts::falsePositives,
                        FileCounts::falseNegatives)
                .containsExactly(
                        tuple("other/delta.csv", 1, 3, 0),
                        tuple("synthetic/alpha.csv", 2, 3, 0),
                        tuple("synthetic/beta.csv", 1, 3, 1),
                        tuple("synthetic/gamma.csv", 0, 3, 0));
        assertThat(r.standard().files().get(1).rawScore()).isCloseTo(2 + 0.11 * alphaU, within(1e-12));
    }

    /** One file, 400 rows (60 probationary), windows at rows 100-139 and 250-289, hand-placed scores. */
    private static List<LabelledFile> sweepCorpus() {
        double[] s = new double[400];
        s[100] = 0.8; // window 1 at its start: worth A_TP
        s[260] = 0.7; // window 2, 10 rows in: worth A_TP sig(-30/40) / sig(-1)
        s[200] = 0.9; // two false positives scored above both detections: small cost
        s[350] = 0.9;
        for (int i = 300; i < 350; i++) {
            s[i] = 0.5; // fifty false positives: too costly to include
        }
        return List.of(
                file("sweep/one.csv", 400, rows(100, 139), rows(250, 289)).withScores(s));
    }

    @Test
    void theSweepFindsTheBestThreshold() {
        List<LabelledFile> corpus = sweepCorpus();

        ProfileScore p = NabScorer.score(corpus, Profile.STANDARD);

        double expected = 1 + sig(-30 / 40.0) / sig(-1) + 2 * 0.11 * sig(61 / 39.0);
        assertThat(p.threshold()).isEqualTo(0.7);
        assertThat(p.raw()).isCloseTo(expected, within(1e-12));
        assertThat(p.files())
                .containsExactly(new FileCounts(
                        "sweep/one.csv", 2, 2, 0, p.files().get(0).rawScore()));
        assertThat(NabScorer.rawScoreAt(corpus, Profile.STANDARD, 0.7)).isCloseTo(expected, within(1e-12));
        assertThat(NabScorer.rawScoreAt(corpus, Profile.STANDARD, 0.8))
                .isCloseTo(expected - sig(-30 / 40.0) / sig(-1) - 1, within(1e-12));
        for (double t : new double[] {1.1, 0.9, 0.8, 0.5, 0.0}) {
            assertThat(NabScorer.rawScoreAt(corpus, Profile.STANDARD, t))
                    .as("at " + t)
                    .isLessThan(p.raw() - 0.1);
        }
    }

    @Test
    void theSweepAgreesWithDirectEvaluationAtEveryThreshold() {
        for (List<LabelledFile> corpus : List.of(
                scored(MAIN, SyntheticCorpus::noisy),
                scored(SyntheticCorpus.edge(), SyntheticCorpus::noisy),
                sweepCorpus())) {
            TreeSet<Double> thresholds = new TreeSet<>(Collections.reverseOrder());
            thresholds.add(NabScorer.NOTHING_DETECTED);
            for (LabelledFile f : corpus) {
                for (double s : f.scores()) {
                    thresholds.add(s);
                }
            }
            for (Profile profile : Profile.all()) {
                ProfileScore p = NabScorer.score(corpus, profile);
                List<double[]> direct = new ArrayList<>(); // {threshold, raw}, by decreasing threshold
                double best = Double.NEGATIVE_INFINITY;
                for (double t : thresholds) {
                    double raw = NabScorer.rawScoreAt(corpus, profile, t);
                    direct.add(new double[] {t, raw});
                    best = Math.max(best, raw);
                }
                double highestBest = Double.NaN;
                for (double[] tr : direct) {
                    if (tr[1] >= best - 1e-9) {
                        highestBest = tr[0];
                        break;
                    }
                }
                assertThat(p.raw()).as(profile.name()).isCloseTo(best, within(1e-9));
                assertThat(p.threshold()).as(profile.name()).isEqualTo(highestBest);
                assertThat(p.files()).isEqualTo(NabScorer.countsAt(corpus, profile, p.threshold()));
            }
        }
    }

    @Test
    void onlyTheFirstDetectionInAWindowCountsAndEarlierIsWorthMore() {
        List<LabelledFile> alpha = List.of(MAIN.get(0));
        double[] start = SyntheticCorpus.perfect(MAIN.get(0));
        double[] whole = new double[400];
        boolean[] labels = MAIN.get(0).labels();
        for (int i = 0; i < 400; i++) {
            whole[i] = labels[i] ? 1.0 : 0.0;
        }
        double[] later = new double[400];
        later[110] = 1.0;
        later[260] = 1.0;

        ProfileScore atStart = NabScorer.score(scored(alpha, f -> start), Profile.STANDARD);
        ProfileScore everyRow = NabScorer.score(scored(alpha, f -> whole), Profile.STANDARD);
        ProfileScore tenRowsIn = NabScorer.score(scored(alpha, f -> later), Profile.STANDARD);

        assertThat(everyRow.raw()).isEqualTo(atStart.raw()).isEqualTo(2.0);
        assertThat(everyRow.truePositives()).isEqualTo(2);
        assertThat(tenRowsIn.raw()).isCloseTo(2 * sig(-30 / 40.0) / sig(-1), within(1e-12));
        assertThat(tenRowsIn.normalized()).isLessThan(100).isGreaterThan(90);
    }

    @Test
    void detectingTheNonProbationaryPartOfAWindowThatStartsInTheProbationaryPeriodBeatsPerfect() {
        NabScorer.Result r = NabScorer.score(scored(MAIN, SyntheticCorpus::straddle));

        // beta's window rows 30-69, first scored row 45: worth sig(-(69 - 45 + 1) / 40) / sig(-1), a TP instead of an
        // FN
        double gain = sig(-25 / 40.0) / sig(-1) + 1;
        assertThat(r.standard().raw()).isCloseTo(3 + gain, within(1e-12));
        assertThat(r.standard().normalized())
                .isCloseTo(100 * (8 + gain) / 8, within(1e-9))
                .isGreaterThan(100);
        assertThat(r.standard().falseNegatives()).isZero();
    }

    @Test
    void aWindowWhoseStartIsNotARowNeverOpensAndBlocksTheWindowsListedAfterIt() {
        NabScorer.Result r = NabScorer.score(scored(SyntheticCorpus.edge(), SyntheticCorpus::perfect));

        // blocked: window 1 starts between rows (never opens), so window 2 never opens either; the perfect
        // detector's hit on window 2's start (row 200) is a false positive before any window (-A_FP).
        // unordered: windows listed [200-230, 80-110]: the second never opens; its start (row 80) is an FP.
        assertThat(r.standard().files())
                .extracting(
                        FileCounts::name,
                        FileCounts::truePositives,
                        FileCounts::falsePositives,
                        FileCounts::falseNegatives)
                .containsExactly(
                        tuple("edge/blocked.csv", 0, 1, 0),
                        tuple("edge/long.csv", 1, 0, 1),
                        tuple("edge/nowindows.csv", 0, 0, 0),
                        tuple("edge/plain.csv", 1, 0, 0),
                        tuple("edge/unordered.csv", 1, 1, 0));
        // long: 6000 rows, probationary period capped at 750 rows, so its first window (rows 700-799, start at
        // row 700) is missed by the perfect detector and its second (rows 3000-3099) is found.
        assertThat(r.standard().perfectRaw()).isCloseTo(3 - 1 - 2 * 0.11, within(1e-12));
        assertThat(r.standard().nullRaw()).isEqualTo(-4.0);
        assertThat(r.standard().normalized()).isCloseTo(100, within(1e-9));
    }

    @Test
    void scoresAreClampedAndNanIsZeroAndFileOrderDoesNotMatter() {
        NabScorer.Result clean = NabScorer.score(scored(MAIN, SyntheticCorpus::fewFalsePositives));
        List<LabelledFile> wild = scored(MAIN, SyntheticCorpus::wild);
        List<LabelledFile> reversed = new ArrayList<>(wild);
        Collections.reverse(reversed);

        assertThat(NabScorer.score(wild)).isEqualTo(clean);
        assertThat(NabScorer.score(reversed)).isEqualTo(clean);
    }

    @Test
    void aOneRowWindowIsScorableOnlyOnTheLastRow() {
        LabelledFile last = file("x/last.csv", 100, rows(99, 99)).withScores(new double[100]);
        ProfileScore p = NabScorer.score(List.of(last), Profile.STANDARD);
        assertThat(p.perfectRaw()).isEqualTo(1.0);
        assertThat(p.normalized()).isEqualTo(0.0);

        LabelledFile middle = file("x/middle.csv", 100, rows(50, 50)).withScores(new double[100]);
        assertThatThrownBy(() -> NabScorer.score(List.of(middle)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x/middle.csv")
                .hasMessageContaining("one-row window");
    }

    @Test
    void refusesWhatTheReferenceCannotScore() {
        LabelledFile endBetweenRows = LabelledFile.ofWindows(
                        "x/end.csv", SyntheticCorpus.timestamps(300), List.of(new Window(ts(100), ts(120) + 1000)))
                .withScores(new double[300]);
        assertThatThrownBy(() -> NabScorer.score(List.of(endBetweenRows)))
                .hasMessageContaining("x/end.csv")
                .hasMessageContaining("2014-04-01 10:00:01.000000")
                .hasMessageContaining("not a row's");

        LabelledFile onlyProbationary = file("x/early.csv", 300, rows(10, 20)).withScores(new double[300]);
        assertThatThrownBy(() -> NabScorer.score(List.of(onlyProbationary))).hasMessageContaining("probationary");

        assertThatThrownBy(() -> NabScorer.score(List.of(MAIN.get(0)))).hasMessageContaining("has no scores");

        LabelledFile a = MAIN.get(0).withScores(new double[400]);
        assertThatThrownBy(() -> NabScorer.score(List.of(a, a))).hasMessageContaining("two files named");
    }

    @Test
    void nullAndPerfectScoresOfAFile() {
        LabelledFile blocked = SyntheticCorpus.edge().get(0);
        double[] perfect = NabScorer.perfectScores(blocked);
        assertThat(Arrays.stream(perfect).sum()).isEqualTo(1.0);
        assertThat(perfect[200]).isEqualTo(1.0);
        assertThat(NabScorer.nullScores(blocked)).hasSize(300).containsOnly(0.5);
    }
}
