package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.EngineKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static final int C = 3;
    private static final int W = 6;
    private static final int WARMUP = 5;

    private final ScoringModel model = TestModels.model("v1", C, 8, W, 17);

    /** Scores one event of key {@code key} at event time {@code t}. */
    static void one(Scorer scorer, String key, KeyState s, double[] row, long t, Scorer.ResultSink sink) {
        scorer.score(1, new String[] {key}, new KeyState[] {s}, new double[][] {row}, new long[] {t}, sink);
    }

    @Test
    void keysAreScoredOnlyOnceTheirWindowIsFullAndAlertOnlyAfterWarmUp() {
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            KeyState s = scorer.newState("k");
            List<Boolean> scored = new ArrayList<>();
            List<Boolean> warm = new ArrayList<>();
            for (double[] row : series(new Random(1), 20)) {
                one(scorer, "k", s, row, 0, (i, v) -> {
                    scored.add(v.scored());
                    warm.add(v.warm());
                });
            }
            assertThat(scored.indexOf(true)).isEqualTo(W - 1);
            assertThat(warm.indexOf(true)).isEqualTo(W + WARMUP - 1);
            assertThat(s.count).isEqualTo(20);
        }
    }

    @Test
    void batchingAcrossKeysAndInRoundsGivesExactlyTheSequentialResults() {
        assertBatchedEqualsSequential(model, false);
        assertBatchedEqualsSequential(model, true);
    }

    @Test
    void withAnAutoencoderHopBatchingStillGivesExactlyTheSequentialResults() {
        ScoringModel hopped = ScoringModel.assemble(
                TestModels.withHop(TestModels.manifest("v1", C, W, 5), 4),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
        assertBatchedEqualsSequential(hopped, false);
        assertBatchedEqualsSequential(hopped, true);
    }

    /**
     * Scores 7 keys x 30 events one event per call, then all in one call with engine batches of 4: the
     * scorer must form the rounds itself, with each key's events {@code interleaved} or grouped by key.
     */
    private static void assertBatchedEqualsSequential(ScoringModel model, boolean interleaved) {
        int keys = 7;
        int events = 30;
        Random r = new Random(3);
        double[][][] data = new double[keys][][];
        for (int k = 0; k < keys; k++) {
            data[k] = series(r, events);
        }
        double[][] sequential = new double[keys][events];
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            for (int k = 0; k < keys; k++) {
                KeyState s = scorer.newState("k" + k);
                for (int t = 0; t < events; t++) {
                    int kk = k;
                    int tt = t;
                    one(scorer, "k" + k, s, data[k][t], t, (i, v) -> sequential[kk][tt] = v.score());
                }
            }
        }
        double[][] batched = new double[keys][events];
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults().withEngine(EngineKind.NATIVE, 4))) {
            KeyState[] perKey = new KeyState[keys];
            for (int k = 0; k < keys; k++) {
                perKey[k] = scorer.newState("k" + k);
            }
            int n = keys * events;
            String[] names = new String[n];
            KeyState[] states = new KeyState[n];
            double[][] rows = new double[n][];
            int[] key = new int[n];
            int[] time = new int[n];
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                int k = interleaved ? i % keys : i / events;
                int t = interleaved ? i / keys : i % events;
                names[i] = "k" + k;
                states[i] = perKey[k];
                rows[i] = data[k][t];
                key[i] = k;
                time[i] = t;
                times[i] = t;
            }
            scorer.score(n, names, states, rows, times, (e, v) -> batched[key[e]][time[e]] = v.score());
        }
        assertThat(batched).isDeepEqualTo(sequential);
        assertThat(sequential[0][events - 1]).isGreaterThan(0.0);
    }

    @Test
    void theAutoencoderReconstructsEveryHopthEventAndItsVerdictStandsBetween() {
        int hop = 4;
        ScoringModel hopped = ScoringModel.assemble(
                TestModels.withHop(TestModels.manifest("v1", C, W, 5), hop),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
        List<double[]> seen = new ArrayList<>(); // per event: count, AE error, -, LSTM error, scored
        try (Scorer scorer = new Scorer(hopped, Scorer.Settings.defaults())) {
            KeyState s = scorer.newState("k");
            for (double[] row : series(new Random(11), W + 4 * hop)) {
                one(
                        scorer,
                        "k",
                        s,
                        row,
                        0,
                        (i, v) -> seen.add(new double[] {s.count, v.aeError(), 0, v.lstmError(), v.scored() ? 1 : 0}));
            }
        }
        for (double[] e : seen) {
            long count = (long) e[0];
            if (count < W) {
                assertThat(e[4]).as("event %d: window not full", count).isZero();
                continue;
            }
            double[] latest = seen.get((int) (W - 1 + (count - W) / hop * hop)); // the latest reconstruction's event
            assertThat(e[1]).as("AE error at event %d", count).isEqualTo(latest[1]);
        }
        // each reconstruction is a new verdict, and the LSTM still scores every event
        assertThat(seen.get(W - 1)[1]).isNotEqualTo(seen.get(W - 1 + hop)[1]);
        assertThat(seen.get(W)[3]).isNotEqualTo(seen.get(W + 1)[3]);
    }

    /**
     * With {@code aeHopPhase = per-key} (what the trainer writes), 32 keys fed in step (every key's n-th
     * event in the same batch) each reconstruct at their own offset within the hop, after the first full
     * window: at every later count about a quarter of them do, not all of them every fourth count.
     */
    @Test
    void withAPerKeyPhaseKeysInStepReconstructAtTheirOwnOffsetsNotAllAtOnce() {
        int hop = 4;
        int keys = 32;
        int events = W + 6 * hop;
        ScoringModel phased = ScoringModel.assemble(
                TestModels.withHop(TestModels.manifest("v1", C, W, 5), hop, BundleManifest.ScoringSpec.PER_KEY_PHASE),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
        BundleManifest.ScoringSpec spec = phased.scoring();
        Random r = new Random(5);
        double[][][] data = new double[keys][][];
        String[] names = new String[keys];
        KeyState[] states = new KeyState[keys];
        double[] lastAe = new double[keys];
        int[][] reconstructing = new int[keys][events + 1]; // 1 where key k's AE error changed at count t
        int[] perCount = new int[events + 1];
        try (Scorer scorer = new Scorer(phased, Scorer.Settings.defaults())) {
            for (int k = 0; k < keys; k++) {
                names[k] = "pump-" + k;
                states[k] = scorer.newState(names[k]);
                data[k] = series(r, events);
                lastAe[k] = Double.NaN;
            }
            for (int t = 0; t < events; t++) {
                double[][] rows = new double[keys][];
                long[] times = new long[keys];
                for (int k = 0; k < keys; k++) {
                    rows[k] = data[k][t];
                    times[k] = t;
                }
                scorer.score(keys, names, states, rows, times, (k, v) -> {
                    long count = states[k].count;
                    if (v.scored() && v.aeError() != lastAe[k]) {
                        reconstructing[k][(int) count] = 1;
                        perCount[(int) count]++;
                        lastAe[k] = v.aeError();
                    }
                });
            }
        }
        int[] phases = new int[hop];
        for (int k = 0; k < keys; k++) {
            int phase = spec.phase(names[k]);
            phases[phase]++;
            for (int count = W; count <= events; count++) {
                boolean expected = count == W || (count - W - phase) % hop == 0;
                assertThat(reconstructing[k][count] == 1)
                        .as("key %s (phase %d) reconstructs at its count %d", names[k], phase, count)
                        .isEqualTo(expected);
            }
        }
        assertThat(perCount[W]).as("every key at its first full window").isEqualTo(keys);
        for (int count = W + 1; count <= events; count++) {
            assertThat(perCount[count])
                    .as("keys reconstructing at count %d", count)
                    .isEqualTo(phases[Math.floorMod(count - W, hop)]);
        }
        assertThat(java.util.Arrays.stream(phases).boxed().toList())
                .as("keys per offset within the hop")
                .allSatisfy(n -> assertThat(n).isBetween(4, 12));
        assertThat(spec.phase("pump-7"))
                .as("an offset is the key's, in every JVM")
                .isEqualTo(Math.floorMod("pump-7".hashCode(), hop));
        assertThat(TestModels.withHop(TestModels.manifest("v1", C, W, 5), hop)
                        .scoring()
                        .phase("pump-7"))
                .as("a bundle without aeHopPhase: offset 0 for every key, as bundles scored before it")
                .isZero();
    }

    /**
     * Keys a million times apart in scale, standardised with statistics estimated from their first events:
     * on normal data a surprise threshold of 2 promises at most 1% of events over it, and each key keeps
     * the promise: its rate is at most 1.3% and at least 0.25% (measured 0.53%, 0.32%, 0.73% over 6,000
     * events each after 2,000), and the keys' rates are within a factor 3 of each other. The rate errs
     * low: the reference's bins spread their mass evenly, which in a falling tail overstates what lies
     * above a value ({@code ReferenceTest} measures the exchangeable case).
     */
    @Test
    void aThresholdMeansAboutTheFalseAlarmRateItPromisesForKeysOfVeryDifferentScales() {
        var perKey = ScoringModel.assemble(
                TestModels.manifest("pk", C, W, WARMUP, "per-key", java.util.Map.of()),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
        double[] scales = {1e-3, 1, 1e3};
        double[] rates = new double[scales.length];
        try (Scorer scorer = new Scorer(perKey, Scorer.Settings.defaults())) {
            for (int k = 0; k < scales.length; k++) {
                KeyState s = scorer.newState("k" + k);
                double[][] data = noisy(new Random(100 + k), 8000);
                int[] over = new int[2];
                for (int t = 0; t < data.length; t++) {
                    double[] row = data[t].clone();
                    for (int j = 0; j < C; j++) {
                        row[j] *= scales[k];
                    }
                    boolean counted = t >= 2000;
                    one(scorer, "k" + k, s, row, t, (i, v) -> {
                        if (counted) {
                            over[0]++;
                            over[1] += v.surprise() >= 2 ? 1 : 0;
                        }
                    });
                }
                rates[k] = (double) over[1] / over[0];
            }
        }
        for (int k = 0; k < scales.length; k++) {
            assertThat(rates[k])
                    .as("rate at surprise 2 of the key at scale %s", scales[k])
                    .isBetween(0.0025, 0.013);
        }
        double max = Math.max(rates[0], Math.max(rates[1], rates[2]));
        double min = Math.min(rates[0], Math.min(rates[1], rates[2]));
        assertThat(max / min)
                .as("the keys' rates %s agree", java.util.Arrays.toString(rates))
                .isLessThan(3);
    }

    @Test
    void dl4jEngineScoresLikeTheNativeEngine() {
        double[][] data = series(new Random(5), 25);
        double[] nat = scores(EngineKind.NATIVE, data);
        double[] dl4j = scores(EngineKind.DL4J, data);
        for (int t = 0; t < data.length; t++) {
            assertThat(dl4j[t]).as("event %d", t).isCloseTo(nat[t], within(1e-4));
        }
    }

    @Test
    void aSpikeOpensAnAlertExplainedByTheChannelThatSpiked() {
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            KeyState s = scorer.newState("k");
            double[][] data = series(new Random(7), 60);
            data[59][1] += 40 * model.normaliser().std()[1];
            double[] share = new double[C];
            double[] actual = new double[C];
            boolean[] anomalous = new boolean[1];
            AlertLifecycle.Transition[] transition = new AlertLifecycle.Transition[1];
            for (int t = 0; t < data.length; t++) {
                one(scorer, "k", s, data[t], t, (i, v) -> {
                    for (int j = 0; j < C; j++) {
                        share[j] = v.contribution(j);
                        actual[j] = v.actual(j);
                    }
                    anomalous[0] = v.anomalous();
                    transition[0] = v.transition();
                });
            }
            assertThat(transition[0]).isEqualTo(AlertLifecycle.Transition.OPEN);
            assertThat(anomalous[0]).isTrue();
            assertThat(share[1]).isGreaterThan(0.9);
            assertThat(share[0] + share[1] + share[2]).isCloseTo(1.0, within(1e-9));
            assertThat(actual[1]).isEqualTo(data[59][1]);
        }
    }

    @Test
    void aNewModelVersionMigratesKeysWithoutANewWarmUp() {
        ScoringModel v2 = TestModels.model("v2", C, 8, W, 99);
        Scorer scorer = new Scorer(model, Scorer.Settings.defaults());
        KeyState s = scorer.newState("k");
        double[][] data = series(new Random(11), 40);
        for (int t = 0; t < 20; t++) {
            one(scorer, "k", s, data[t], 0, (i, v) -> {});
        }
        float[] windowBefore = s.memory.window.clone();
        Scorer next = scorer.withModel(v2);
        boolean[] warm = new boolean[1];
        String[] version = new String[1];
        one(next, "k", s, data[20], 0, (i, v) -> {
            warm[0] = v.warm();
            version[0] = v.modelVersion();
        });
        assertThat(version[0]).isEqualTo("v2");
        assertThat(warm[0]).isTrue();
        assertThat(s.count).isEqualTo(21);
        assertThat(s.model).isEqualTo(v2.shortId());
        // same normaliser in both test models: the replayed window holds the same vectors, shifted by one
        int slotOfNewest = Math.floorMod(s.memory.head - 1, W);
        int slotOfPrevious = Math.floorMod(s.memory.head - 2, W);
        int oldSlotOfPrevious = Math.floorMod(20 - 1, W);
        for (int j = 0; j < C; j++) {
            assertThat(s.memory.window[slotOfPrevious * C + j])
                    .isCloseTo(windowBefore[oldSlotOfPrevious * C + j], within(1e-5f));
        }
        assertThat(s.memory.window[slotOfNewest * C]).isCloseTo((float) ((data[20][0] - 0.0) / 1.0), within(1e-5f));
        next.close();
    }

    @Test
    void aStateOfAnotherShapeIsResetNotMigrated() {
        ScoringModel wider = TestModels.model("v9", C, 8, W + 2, 5);
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults());
                Scorer other = new Scorer(wider, Scorer.Settings.defaults())) {
            KeyState s = scorer.newState("k");
            for (double[] row : series(new Random(2), 12)) {
                one(scorer, "k", s, row, 0, (i, v) -> {});
            }
            one(
                    other,
                    "k",
                    s,
                    series(new Random(4), 1)[0],
                    0,
                    (i, v) -> assertThat(v.scored()).isFalse());
            assertThat(s.count).isEqualTo(1);
            assertThat(s.memory.window).hasSize((W + 2) * C);
        }
    }

    @Test
    void perKeyNormalisationUsesTheKeysOwnStatisticsOrEstimatesThemFirst() {
        var known = new io.vigil.scoring.bundle.BundleManifest.NormaliserSpec(
                new double[] {100, 200, 300}, new double[] {5, 5, 5});
        ScoringModel perKey = ScoringModel.assemble(
                TestModels.manifest("pk", C, W, WARMUP, "per-key", java.util.Map.of("known", known)),
                TestModels.randomLstm(C, 8, 17),
                TestModels.randomAutoencoder(W * C, 17));
        try (Scorer scorer = new Scorer(perKey, Scorer.Settings.defaults())) {
            KeyState k = scorer.newState("known");
            assertThat(k.standardisation.mean).containsExactly(100, 200, 300);
            assertThat(k.standardisation.samples).isEqualTo(-1);

            KeyState stranger = scorer.newState("stranger");
            assertThat(stranger.standardisation.samples).isZero();
            List<Boolean> scored = new ArrayList<>();
            Random r = new Random(4);
            for (int t = 0; t < 8 + W + 2; t++) {
                double[] row = {50 + r.nextGaussian(), 60 + 2 * r.nextGaussian(), 70 + 3 * r.nextGaussian()};
                one(scorer, "stranger", stranger, row, 0, (i, v) -> scored.add(v.scored()));
            }
            // 8 events estimate the statistics, then the window fills (W events) before the first score
            assertThat(scored.indexOf(true)).isEqualTo(8 + W - 1);
            assertThat(stranger.standardisation.samples).isEqualTo(-1);
            assertThat(stranger.standardisation.mean[0]).isCloseTo(50, within(1.5));
            assertThat(stranger.standardisation.std[2]).isBetween(1.0, 6.0);
        }
    }

    private double[] scores(EngineKind engine, double[][] data) {
        double[] out = new double[data.length];
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults().withEngine(engine, 16))) {
            KeyState s = scorer.newState("k");
            for (int t = 0; t < data.length; t++) {
                int tt = t;
                one(scorer, "k", s, data[t], 0, (i, v) -> out[tt] = v.score());
            }
        }
        return out;
    }

    /** Normal data whose errors are mostly noise: a slow wave under independent Gaussian noise, per channel. */
    static double[][] noisy(Random r, int n) {
        double[][] rows = new double[n][C];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < C; j++) {
                rows[t][j] = 10.0 * j + (1.0 + j) * (0.3 * Math.sin(t / 20.0 + j) + r.nextGaussian());
            }
        }
        return rows;
    }

    /** Rows in raw units around the test normaliser's means (0, 10, 20) and scales (1, 2, 3). */
    static double[][] series(Random r, int n) {
        double[][] rows = new double[n][C];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < C; j++) {
                rows[t][j] = 10.0 * j + (1.0 + j) * (0.5 * Math.sin(t / 3.0 + j) + 0.2 * r.nextGaussian());
            }
        }
        return rows;
    }
}
