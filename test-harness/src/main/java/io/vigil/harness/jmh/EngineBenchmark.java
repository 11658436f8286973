package io.vigil.harness.jmh;

import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.EngineKind;
import io.vigil.scoring.engine.InferenceEngine;
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
 * The two forward passes apart, per event, by window length: one LSTM step of {@link #BATCH} streams
 * (carrying (h, c): its cost must not depend on the window) and one autoencoder reconstruction of
 * {@link #BATCH} windows (its input is the whole window of W x C values, so it grows with W).
 *
 * <pre>
 * test-harness/bin/vigil-harness jmh EngineBenchmark -p window=16,32,64,128
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
public class EngineBenchmark {

    public static final int BATCH = 256;
    static final int CHANNELS = 8;

    @Param({"16", "32", "64", "128"})
    public int window;

    @Param({"native"})
    public String engine;

    private InferenceEngine inference;
    private float[] x;
    private float[] h;
    private float[] c;
    private float[] next;
    private float[] windows;
    private float[] recon;

    @Setup(Level.Trial)
    public void setUp() {
        ScoringModel model = SyntheticModel.of(window, CHANNELS);
        inference = model.newEngine(EngineKind.valueOf(engine.toUpperCase(java.util.Locale.ROOT)));
        int hidden = model.hiddenSize();
        Random random = new Random(7);
        x = gaussian(random, BATCH * CHANNELS);
        h = gaussian(random, BATCH * hidden);
        c = gaussian(random, BATCH * hidden);
        next = new float[BATCH * CHANNELS];
        windows = gaussian(random, BATCH * window * CHANNELS);
        recon = new float[windows.length];
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (0.5 * random.nextGaussian());
        }
        return a;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lstmStep(Blackhole bh) {
        inference.lstmStep(BATCH, x, h, c, next);
        bh.consume(next);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void autoencoder(Blackhole bh) {
        inference.reconstruct(BATCH, windows, recon);
        bh.consume(recon);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inference.close();
    }
}
