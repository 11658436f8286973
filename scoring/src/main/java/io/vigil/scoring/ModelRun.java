package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.InferenceEngine;

/**
 * One (sub-)model's part of a {@link Scorer}: its engine, the buffers a batch is stacked into, and the
 * per-event path from raw values to a {@link ScoreView}: differencing, standardisation (or its
 * estimation for a new key), one LSTM step, a reconstruction every {@code aeHop}-th event, the score
 * ({@link SurpriseScore}) and the alert ({@link AlertLifecycle}). It is the view while the sink runs.
 */
final class ModelRun implements ScoreView, AutoCloseable {

    /** {@code aeSlot} of an event whose key's window is not full yet. */
    private static final int NOT_SCORED = -1;
    /** {@code aeSlot} of an event between two reconstructions of its key's window. */
    private static final int BETWEEN_RECONSTRUCTIONS = -2;

    final SurpriseScore score;
    private final ScoringModel m;
    private final InferenceEngine engine;
    private final AlertLifecycle lifecycle;
    private final int c;
    private final int h;
    private final int w;
    private final int span;
    private final BundleManifest.ScoringSpec spec;
    private final long warmAfter;
    private final int normaliserEvents;
    private final Differencing diff;
    private final boolean[] differenced;
    private final float[] x;
    private final float[] hs;
    private final float[] cs;
    private final float[] before;
    private final float[] nexts;
    private final float[] windows;
    private final float[] recon;
    private final int[] aeSlot;
    private final int[] active;
    private final double[] inputs;
    private final double[] previous;
    private final double[] squares;

    // the event the sink is looking at
    private int k;
    private KeyState stateNow;
    private double[] rawNow;
    private boolean scoredNow;
    private boolean warmNow;
    private double lstmErr;
    private double scoreNow;
    private AlertLifecycle.Transition transitionNow;
    private BundleManifest.ErrorScales scalesNow;

    ModelRun(ScoringModel m, Scorer.Settings settings) {
        this.m = m;
        this.engine = m.newEngine(settings.engine());
        this.lifecycle = settings.lifecycle(m);
        this.score = new SurpriseScore(m);
        this.c = m.features().size();
        this.h = m.hiddenSize();
        this.w = m.windowLength();
        this.spec = m.scoring();
        this.span = spec.aeErrorSpan();
        this.warmAfter = m.warmAfter(settings.warmupOverride());
        this.normaliserEvents = spec.normaliserEvents();
        int b = settings.maxBatch();
        this.x = new float[b * c];
        this.hs = new float[b * h];
        this.cs = new float[b * h];
        this.before = new float[b * c];
        this.nexts = new float[b * c];
        this.windows = new float[b * w * c];
        this.recon = new float[b * w * c];
        this.aeSlot = new int[b];
        this.active = new int[b];
        this.diff = m.differencing();
        this.differenced = new boolean[c];
        for (int j = 0; j < c; j++) {
            differenced[j] = diff.differences(j);
        }
        this.inputs = diff.isNone() ? null : new double[b * c];
        this.previous = diff.isNone() ? null : new double[b * c];
        this.squares = new double[c];
    }

    /** Steps one key's LSTM over one raw input vector and appends it to the window (no score). */
    void replay(KeyState s, double[] input) {
        KeyState.Memory mem = s.memory;
        Normaliser.standardise(s.standardisation.mean, s.standardisation.std, input, 0, x, 0);
        score.direct().hide(x, 0);
        System.arraycopy(mem.h, 0, hs, 0, h);
        System.arraycopy(mem.c, 0, cs, 0, h);
        engine.lstmStep(1, x, hs, cs, nexts);
        System.arraycopy(hs, 0, mem.h, 0, h);
        System.arraycopy(cs, 0, mem.c, 0, h);
        System.arraycopy(nexts, 0, mem.next, 0, c);
        System.arraycopy(x, 0, mem.window, mem.head * c, c);
        mem.head = (mem.head + 1) % w;
    }

    void run(
            int[] idx,
            int start,
            int end,
            String[] keys,
            KeyState[] states,
            double[][] raw,
            long[] times,
            Scorer.ResultSink sink) {
        int n = 0;
        for (int e = start; e < end; e++) {
            int i = idx[e];
            KeyState s = states[i];
            double[] in = raw[i];
            int from = 0;
            if (inputs != null) {
                System.arraycopy(s.memory.previous != null ? s.memory.previous : raw[i], 0, previous, n * c, c);
                s.memory.previous = diff.input(raw[i], s.memory.previous, inputs, n * c);
                in = inputs;
                from = n * c;
            }
            KeyState.Standardisation std = s.standardisation;
            if (std.samples >= 0) {
                if (Normaliser.estimate(std, in, from, normaliserEvents)) {
                    s.count = 0; // the window fills from the next event, all of it in one standardisation
                }
                report(i, s, raw[i], sink);
                continue;
            }
            Normaliser.standardise(std.mean, std.std, in, from, x, n * c);
            score.direct().hide(x, n * c);
            KeyState.Memory mem = s.memory;
            System.arraycopy(mem.h, 0, hs, n * h, h);
            System.arraycopy(mem.c, 0, cs, n * h, h);
            System.arraycopy(mem.next, 0, before, n * c, c);
            active[n++] = i;
        }
        if (n == 0) {
            return;
        }
        engine.lstmStep(n, x, hs, cs, nexts);
        int ae = 0;
        int wc = w * c;
        for (int j = 0; j < n; j++) {
            KeyState.Memory mem = states[active[j]].memory;
            System.arraycopy(hs, j * h, mem.h, 0, h);
            System.arraycopy(cs, j * h, mem.c, 0, h);
            System.arraycopy(nexts, j * c, mem.next, 0, c);
            System.arraycopy(x, j * c, mem.window, mem.head * c, c);
            mem.head = (mem.head + 1) % w;
            long count = ++states[active[j]].count;
            if (count < w) {
                aeSlot[j] = NOT_SCORED;
            } else if (spec.reconstructsAt(count, w, spec.phase(keys[active[j]]))) {
                WindowLayout.fromRing(mem.window, mem.head, w, c, windows, ae * wc);
                aeSlot[j] = ae++;
            } else {
                aeSlot[j] = BETWEEN_RECONSTRUCTIONS;
            }
        }
        if (ae > 0) {
            engine.reconstruct(ae, windows, recon);
        }
        for (int j = 0; j < n; j++) {
            int i = active[j];
            evaluate(j, keys[i], states[i], raw[i], times[i]);
            sink.accept(i, this);
            if (resolved()) {
                AlertLifecycle.clear(states[i]); // after the sink has built its resolve record from the episode
            }
        }
    }

    /** Reports an event that only estimated its key's standardisation: not scored. */
    private void report(int i, KeyState s, double[] rawVector, Scorer.ResultSink sink) {
        k = -1;
        stateNow = s;
        rawNow = rawVector;
        scoredNow = false;
        warmNow = false;
        lstmErr = 0;
        scoreNow = 0;
        transitionNow = AlertLifecycle.Transition.NONE;
        sink.accept(i, this);
    }

    private void evaluate(int j, String key, KeyState s, double[] rawVector, long time) {
        this.k = j;
        this.stateNow = s;
        this.rawNow = rawVector;
        this.scoredNow = aeSlot[j] != NOT_SCORED;
        this.transitionNow = AlertLifecycle.Transition.NONE;
        double sum = 0;
        for (int ch = 0; ch < c; ch++) {
            double d = x[j * c + ch] - before[j * c + ch];
            squares[ch] = d * d;
            sum += d * d;
        }
        lstmErr = sum / c;
        if (!scoredNow) {
            warmNow = false;
            scoreNow = 0;
            return;
        }
        BundleManifest.ErrorScales scales = m.scalesFor(key);
        scalesNow = scales;
        if (aeSlot[j] >= 0) {
            int base = aeSlot[j] * w * c;
            float[] ratios = s.memory.aeRatios;
            for (int ch = 0; ch < c; ch++) {
                double e = 0;
                for (int t = w - span; t < w; t++) {
                    double d = recon[base + t * c + ch] - windows[base + t * c + ch];
                    e += d * d;
                }
                ratios[ch] = (float) (e / span / scales.autoencoder()[ch]);
            }
        }
        score.evaluate(s, squares, 0, scales.lstm(), rawVector);
        scoreNow = Surprise.score(score.surprise());
        warmNow = s.count >= warmAfter;
        transitionNow = lifecycle.apply(
                key, s, score.surprise(), score.normalSurprise(), scoreNow, warmNow, time, m.modelId(), m.version());
        if (transitionNow == AlertLifecycle.Transition.ACCEPT) {
            score.accept(s);
        }
        boolean open = s.episode.open() && !resolved();
        score.learn(s, !open && score.normalSurprise() < lifecycle.threshold());
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public boolean scored() {
        return scoredNow;
    }

    @Override
    public boolean warm() {
        return warmNow;
    }

    @Override
    public double score() {
        return scoreNow;
    }

    @Override
    public double surprise() {
        return scoredNow ? score.surprise() : 0;
    }

    @Override
    public double normalSurprise() {
        return scoredNow ? score.normalSurprise() : 0;
    }

    @Override
    public double evidence() {
        return scoredNow ? score.evidence() : 0;
    }

    @Override
    public double threshold() {
        return Surprise.score(lifecycle.threshold());
    }

    @Override
    public double thresholdSurprise() {
        return lifecycle.threshold();
    }

    @Override
    public boolean anomalous() {
        return stateNow.episode.open() && !resolved();
    }

    private boolean resolved() {
        return transitionNow == AlertLifecycle.Transition.RESOLVE || transitionNow == AlertLifecycle.Transition.ACCEPT;
    }

    @Override
    public AlertLifecycle.Transition transition() {
        return transitionNow;
    }

    @Override
    public AlertLifecycle.Severity severity() {
        return lifecycle.severity(stateNow);
    }

    @Override
    public double lstmError() {
        return lstmErr;
    }

    @Override
    public double aeError() {
        if (!scoredNow) {
            return 0;
        }
        double[] scale = scalesNow.autoencoder();
        float[] ratios = stateNow.memory.aeRatios;
        double sum = 0;
        for (int ch = 0; ch < c; ch++) {
            sum += ratios[ch] * scale[ch];
        }
        return sum / c;
    }

    @Override
    public String firedBy() {
        return scoredNow ? score.firedBy() : "NONE";
    }

    @Override
    public String modelId() {
        return m.modelId();
    }

    @Override
    public String modelVersion() {
        return m.version();
    }

    @Override
    public FeatureSpec features() {
        return m.features();
    }

    @Override
    public double expected(int j) {
        if (k < 0) {
            return rawNow[j];
        }
        if (score.direct().isDirect(j)) {
            return score.direct().level(j); // what 99% of normal events stay under
        }
        KeyState.Standardisation std = stateNow.standardisation;
        double predicted = before[k * c + j] * std.std[j] + std.mean[j];
        return differenced[j] ? previous[k * c + j] + predicted : predicted; // a difference: add the last reading
    }

    @Override
    public double actual(int j) {
        return rawNow[j];
    }

    @Override
    public double contribution(int j) {
        return scoredNow ? score.share(j) : 1.0 / c;
    }
}
