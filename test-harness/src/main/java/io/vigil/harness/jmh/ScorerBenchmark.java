package io.vigil.harness.jmh;

import io.vigil.scoring.KeyState;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.EngineKind;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The scorer alone, as the Flink job calls it: {@link #EVENTS} events per invocation, one each from
 * that many different warm keys (full window, warmed-up statistics), scored {@code batch} at a time,
 * both models, the score, threshold, explanation and statistics update of every event. The result is
 * microseconds per event. Keys are visited round-robin over a pool larger than the caches' share of
 * one batch, as a subtask's keys are.
 *
 * <pre>
 * test-harness/bin/vigil-harness jmh ScorerBenchmark                  # batch 1, 64, 256 at W = 32
 * test-harness/bin/vigil-harness jmh ScorerBenchmark -p window=16,32,64,128 -p batch=256 -p aeHop=0,1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class ScorerBenchmark {

    /** Events per benchmark invocation (a multiple of every batch size). */
    public static final int EVENTS = 256;

    static final int KEYS = 4096;
    static final int CHANNELS = 8;

    @Param({"1", "64", "256"})
    public int batch;

    @Param({"32"})
    public int window;

    @Param({"native"})
    public String engine;

    /** The autoencoder's hop: 0 = the trainer's default (a quarter of the window), 1 = every event. */
    @Param({"0"})
    public int aeHop;

    private Scorer scorer;
    private String[] keys;
    private KeyState[] states;
    private double[][][] values; // [key][phase][channel]
    private int next;
    private long step;
    // one invocation's events, in EVENTS / batch calls of batch events each (allocated once)
    private String[][] batchKeys;
    private KeyState[][] batchStates;
    private double[][][] batchRaw;
    private long[][] batchTimes;

    @Setup(Level.Trial)
    public void setUp() {
        ScoringModel model = SyntheticModel.of(window, CHANNELS, aeHop);
        scorer = new Scorer(
                model,
                Scorer.Settings.defaults()
                        .withEngine(EngineKind.valueOf(engine.toUpperCase(java.util.Locale.ROOT)), batch));
        int calls = EVENTS / batch;
        batchKeys = new String[calls][batch];
        batchStates = new KeyState[calls][batch];
        batchRaw = new double[calls][batch][];
        batchTimes = new long[calls][batch];
        Random random = new Random(7);
        keys = new String[KEYS];
        states = new KeyState[KEYS];
        values = new double[KEYS][64][CHANNELS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = "sensor-" + k;
            states[k] = scorer.newState(keys[k]);
            double phase = random.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < 64; t++) {
                for (int j = 0; j < CHANNELS; j++) {
                    values[k][t][j] = Math.sin(phase + t * 2 * Math.PI / 64 + j) + 0.1 * random.nextGaussian();
                }
            }
        }
        // warm every key: a full window and the warm-up, so each measured event runs both models
        int warm = window + model.scoring().warmupEvents() + 8;
        for (int t = 0; t < warm; t++) {
            for (int from = 0; from < KEYS; from += EVENTS) {
                fill(from, t);
                for (int call = 0; call < calls; call++) {
                    scorer.score(
                            batch, batchKeys[call], batchStates[call], batchRaw[call], batchTimes[call], (i, v) -> {});
                }
            }
        }
        step = warm;
    }

    private void fill(int from, long t) {
        for (int i = 0; i < EVENTS; i++) {
            int k = (from + i) % KEYS;
            batchKeys[i / batch][i % batch] = keys[k];
            batchStates[i / batch][i % batch] = states[k];
            batchRaw[i / batch][i % batch] = values[k][(int) (t % 64)];
            batchTimes[i / batch][i % batch] = t;
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void score(Blackhole bh) {
        fill(next, step);
        next += EVENTS;
        if (next >= KEYS) {
            next = 0;
            step++;
        }
        for (int call = 0; call < batchKeys.length; call++) {
            scorer.score(
                    batch,
                    batchKeys[call],
                    batchStates[call],
                    batchRaw[call],
                    batchTimes[call],
                    (i, v) -> bh.consume(v.score()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scorer.close();
    }
}
