package io.vigil.scoring;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.EngineKind;
import io.vigil.scoring.engine.InferenceEngine;
import java.io.Serializable;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one scoring code path, shared by the trainer (calibration, evaluation) and the Flink job.
 *
 * <p>Given a batch of events, each with its key's {@link KeyState}, it steps every key's LSTM once
 * (carrying (h, c), so the cost per event does not depend on the window length), reconstructs a key's
 * full window with the autoencoder every {@code aeHop}-th event (the bundle's; a quarter of the window
 * by default, so that cost per event does not grow with the window length either: each event is in
 * about four reconstructed windows; between reconstructions the autoencoder's channels keep the latest
 * one's smoothed error, judged against the key's statistics as they stand), and turns both errors into
 * one calibrated score per event. All
 * keys' events go through the engine together: events of different keys form one call; a key with
 * several events in the batch is processed in rounds, its k-th event in round k, so its events stay
 * in order.
 *
 * <p>Not thread-safe: one scorer per thread (per Flink subtask).
 */
public final class Scorer implements AutoCloseable {

    /** Receives the result of each event, by its index in the batch. */
    @FunctionalInterface
    public interface ResultSink {
        void accept(int event, ScoreView view);
    }

    /**
     * How the scorer runs; serialisable so it can travel inside a Flink operator.
     *
     * @param engine which forward pass to use
     * @param maxBatch largest number of keys per engine call
     * @param thresholdOverride a threshold in (0, 1) to use instead of the bundle's, or NaN
     * @param warmupOverride events of warm-up after the first full window instead of the bundle's, or -1
     * @param thresholdKind {@code quantile} (fixed) or {@code pot} (dynamic, per key) instead of the
     *     bundle's kind, or null; a {@code thresholdOverride} always means a fixed threshold
     */
    public record Settings(EngineKind engine, int maxBatch, double thresholdOverride, int warmupOverride,
            String thresholdKind) implements Serializable {

        public Settings(EngineKind engine, int maxBatch, double thresholdOverride, int warmupOverride) {
            this(engine, maxBatch, thresholdOverride, warmupOverride, null);
        }

        public Settings {
            if (thresholdKind != null && !BundleManifest.ThresholdSpec.QUANTILE.equals(thresholdKind)
                    && !BundleManifest.ThresholdSpec.POT.equals(thresholdKind)) {
                throw new IllegalArgumentException("threshold kind must be quantile or pot, is " + thresholdKind);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, is " + maxBatch);
            }
            if (!Double.isNaN(thresholdOverride) && !(thresholdOverride > 0 && thresholdOverride < 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1), is " + thresholdOverride);
            }
        }

        public static Settings defaults() {
            return new Settings(EngineKind.NATIVE, 256, Double.NaN, -1);
        }
    }

    private static final double ERROR_FLOOR = 1e-8;
    private static final float POT_PRIOR_PEAKS = 20f;

    private final ScoringModel model;
    private final Settings settings;
    private final Map<ScoringModel, Context> contexts = new IdentityHashMap<>();
    /** Per event of the batch being scored, its round; and one round's event indices (both reused). */
    private int[] round = new int[0];
    private int[] picked = new int[0];

    public Scorer(ScoringModel model, Settings settings) {
        this.model = model;
        this.settings = settings;
    }

    /**
     * A scorer for a newly published model. Keys this one scored are migrated when they reach it:
     * their remembered vectors are re-expressed in the new model's standardisation and replayed
     * through the new LSTM, so they keep scoring without a new warm-up.
     */
    public Scorer withModel(ScoringModel next) {
        close();
        return new Scorer(next, settings);
    }

    public ScoringModel model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    /** Identifies the (sub-)model a key state was built by. */
    public static String shortId(ScoringModel m) {
        return m.shortId();
    }

    /**
     * Scores {@code n} events. Event i belongs to key {@code keys[i]} whose state is {@code states[i]}
     * (the same object for every event of that key, events of a key in event-time order); its values
     * in feature order are {@code raw[i]}. States are updated in place; results go to {@code sink}.
     */
    public void score(int n, String[] keys, KeyState[] states, double[][] raw, ResultSink sink) {
        if (round.length < n) {
            round = new int[Math.max(n, 2 * round.length)];
            picked = new int[round.length];
        }
        // a key's k-th event of the batch goes in round k, so each key's events stay in order
        for (int i = 0; i < n; i++) {
            states[i].batchEvents = 0;
        }
        int rounds = 0;
        for (int i = 0; i < n; i++) {
            round[i] = states[i].batchEvents++;
            rounds = Math.max(rounds, round[i] + 1);
        }
        boolean oneModel = model.keyModels().isEmpty();
        for (int r = 0; r < rounds; r++) {
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (round[i] == r) {
                    picked[size++] = i;
                }
            }
            if (oneModel) {
                for (int k = 0; k < size; k++) {
                    prepare(states[picked[k]], model, keys[picked[k]]);
                }
                run(model, picked, size, states, raw, sink);
                continue;
            }
            // per-key models: the round's events grouped by the (sub-)model that scores them
            Map<ScoringModel, int[]> byModel = new IdentityHashMap<>();
            Map<ScoringModel, Integer> sizes = new IdentityHashMap<>();
            int roundSize = size;
            for (int k = 0; k < size; k++) {
                int i = picked[k];
                ScoringModel m = model.forKey(keys[i]);
                prepare(states[i], m, keys[i]);
                int[] idx = byModel.computeIfAbsent(m, x -> new int[roundSize]);
                int at = sizes.merge(m, 1, Integer::sum) - 1;
                idx[at] = i;
            }
            for (Map.Entry<ScoringModel, int[]> e : byModel.entrySet()) {
                run(e.getKey(), e.getValue(), sizes.get(e.getKey()), states, raw, sink);
            }
        }
    }

    /** Scores events {@code idx[0, size)} with model {@code m}, at most {@code maxBatch} per engine call. */
    private void run(ScoringModel m, int[] idx, int size, KeyState[] states, double[][] raw, ResultSink sink) {
        Context ctx = contexts.computeIfAbsent(m, Context::new);
        for (int from = 0; from < size; from += settings.maxBatch()) {
            ctx.run(idx, from, Math.min(size, from + settings.maxBatch()), states, raw, sink);
        }
    }

    /** A fresh state for a key that the model has not seen. */
    public KeyState newState(String key) {
        KeyState s = new KeyState();
        prepare(s, model.forKey(key), key);
        return s;
    }

    private void prepare(KeyState s, ScoringModel m, String key) {
        String id = shortId(m);
        if (id.equals(s.model)) {
            return;
        }
        int w = m.windowLength();
        int c = m.features().size();
        int h = m.hiddenSize();
        boolean differences = !m.differencing().isNone();
        // the remembered window is replayed into the new model only if it is in the same input space
        // (levels, or differences: a key state has a previous reading exactly when its model differenced)
        boolean migrate = s.window != null && s.window.length == w * c && s.nmean != null && s.nmean.length == c
                && s.nsamples < 0 && (s.prev != null) == differences;
        float[] oldWindow = s.window;
        double[] oldMean = s.nmean;
        double[] oldStd = s.nstd;
        int oldHead = s.head;
        long oldCount = s.count;
        s.model = id;
        if (!differences || (s.prev != null && s.prev.length != c)) {
            s.prev = null; // (a differencing model starts from the key's latest reading, if it has one)
        }
        s.window = new float[w * c];
        s.head = 0;
        s.h = new float[h];
        s.c = new float[h];
        s.next = new float[c];
        BundleManifest.ScoringSpec spec = m.scoring();
        s.esmooth = new float[2 * c];
        s.emean = new float[2 * c];
        s.evar = new float[2 * c];
        for (int j = 0; j < c; j++) {
            prior(s, j, spec.lstmPriors().get(j));
            prior(s, c + j, spec.aePriors().get(j));
        }
        s.statsCount = 0;
        BundleManifest.PotSpec pot = m.manifest().threshold().pot();
        if (pot != null) {
            // the global tail counts as POT_PRIOR_PEAKS of the key's own peaks until it has its own
            s.potPeaks = POT_PRIOR_PEAKS;
            s.potCount = (float) (POT_PRIOR_PEAKS / pot.exceedanceRate());
            double mean = pot.sigma() / (1 - pot.xi());
            s.potMean = (float) mean;
            s.potSq = (float) (mean * mean + pot.sigma() * pot.sigma() / ((1 - pot.xi()) * (1 - pot.xi()) * (1 - 2 * pot.xi())));
        }
        Normaliser own = m.normaliserFor(key);
        if (own != null) {
            s.nmean = own.mean();
            s.nstd = own.std();
            s.nsamples = -1;
        } else if (!migrate) {
            s.nmean = new double[c]; // estimated from the key's first events
            s.nstd = new double[c];
            s.nsamples = 0;
        }
        if (!migrate) {
            s.count = 0;
            return;
        }
        // Re-express the remembered vectors in the new standardisation and replay them through the new
        // LSTM, so the key keeps scoring without a new warm-up.
        Context ctx = contexts.computeIfAbsent(m, Context::new);
        long filled = Math.min(oldCount, w);
        double[] input = new double[c];
        for (long k = filled; k > 0; k--) {
            int slot = (int) Math.floorMod(oldHead - k, (long) w);
            for (int j = 0; j < c; j++) {
                input[j] = oldWindow[slot * c + j] * oldStd[j] + oldMean[j];
            }
            ctx.replay(s, input);
        }
        s.count = oldCount;
    }

    private static void prior(KeyState s, int i, BundleManifest.ErrorPrior p) {
        s.emean[i] = (float) p.mean();
        s.evar[i] = (float) (p.std() * p.std());
    }

    @Override
    public void close() {
        contexts.values().forEach(ctx -> ctx.engine.close());
        contexts.clear();
    }

    /** {@code aeSlot} of an event whose key's window is not full yet. */
    private static final int NOT_SCORED = -1;
    /** {@code aeSlot} of an event between two reconstructions of its key's window. */
    private static final int BETWEEN_RECONSTRUCTIONS = -2;

    /** Buffers and engine for one (sub-)model. */
    private final class Context implements ScoreView {
        final ScoringModel m;
        final InferenceEngine engine;
        final int c;
        final int h;
        final int w;
        final int span;
        final int hop;
        final double hopAlpha; // the EWMA weight of one reconstruction: alpha per event over the hop
        final double hopStatsAlpha; // likewise the statistics' adaptation rate once a key is warm
        final double alpha;
        final double statsAlpha;
        final int priorWeight;
        final long warmAfter;
        final int normaliserEvents;
        final boolean lowerTail;
        final double threshold;
        final double thresholdZ;
        final BundleManifest.PotSpec pot;
        final String version;
        final String modelId;
        final float[] x;
        final float[] hs;
        final float[] cs;
        final float[] before;
        final float[] nexts;
        final float[] windows;
        final float[] recon;
        final int[] aeSlot;
        final int[] active;
        final Differencing diff;
        final boolean[] differenced; // per channel
        final double[] inputs; // with differencing: each event's input (b x c), and the reading before it
        final double[] previous;

        // the event being reported through the ScoreView
        int k;
        KeyState stateNow;
        double[] rawNow;
        boolean scoredNow;
        boolean warmNow;
        double lstmErr;
        double aeErr;
        double lz;
        double az;
        double scoreNow;
        double thresholdZNow;
        final double[] share;
        final double[] err;
        final double[] zs;
        final double[] logs; // log of each smoothed error, this event

        Context(ScoringModel m) {
            this.m = m;
            this.engine = m.newEngine(settings.engine());
            this.c = m.features().size();
            this.h = m.hiddenSize();
            this.w = m.windowLength();
            BundleManifest.ScoringSpec spec = m.scoring();
            this.span = spec.aeErrorSpan();
            this.hop = spec.hop();
            this.alpha = spec.smoothing();
            this.hopAlpha = 1 - Math.pow(1 - alpha, hop);
            this.hopStatsAlpha = 1 - Math.pow(1 - spec.statsAlpha(), hop);
            this.statsAlpha = spec.statsAlpha();
            this.priorWeight = spec.priorWeight();
            int warmup = settings.warmupOverride() >= 0 ? settings.warmupOverride() : spec.warmupEvents();
            this.warmAfter = (long) w + warmup;
            this.normaliserEvents = spec.normaliserEvents();
            this.lowerTail = spec.lowerTail();
            this.threshold = Double.isNaN(settings.thresholdOverride()) ? m.threshold() : settings.thresholdOverride();
            this.thresholdZ = Surprise.z(threshold);
            String kind = !Double.isNaN(settings.thresholdOverride()) ? BundleManifest.ThresholdSpec.QUANTILE
                    : settings.thresholdKind() != null ? settings.thresholdKind() : m.manifest().threshold().kind();
            if (BundleManifest.ThresholdSpec.POT.equals(kind) && m.manifest().threshold().pot() == null) {
                throw new IllegalArgumentException("Model " + m.modelId() + "/" + m.version() + " has no peaks-over-"
                        + "threshold calibration; use the quantile threshold");
            }
            this.pot = BundleManifest.ThresholdSpec.POT.equals(kind) ? m.manifest().threshold().pot() : null;
            this.version = m.version();
            this.modelId = m.modelId();
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
            this.share = new double[c];
            this.err = new double[2 * c];
            this.zs = new double[2 * c];
            this.logs = new double[2 * c];
        }

        /** Standardises an input vector ({@code in[from, from + c)}) with the key's own statistics. */
        void normalise(KeyState s, double[] in, int from, float[] out, int offset) {
            for (int j = 0; j < c; j++) {
                out[offset + j] = (float) ((in[from + j] - s.nmean[j]) / s.nstd[j]);
            }
        }

        /** Uses one of a new key's first events to estimate its statistics (Welford); fixes them at the end. */
        void estimate(KeyState s, double[] in, int from) {
            int n = ++s.nsamples;
            for (int j = 0; j < c; j++) {
                double d = in[from + j] - s.nmean[j];
                s.nmean[j] += d / n;
                s.nstd[j] += d * (in[from + j] - s.nmean[j]);
            }
            if (n >= normaliserEvents) {
                for (int j = 0; j < c; j++) {
                    double std = Math.sqrt(s.nstd[j] / (n - 1));
                    s.nstd[j] = std > 1e-9 && !Double.isInfinite(std) ? std : 1.0;
                }
                s.nsamples = -1;
                s.count = 0; // the window fills from the next event, all of it in one standardisation
            }
        }

        /** Steps one key's LSTM over one input vector and appends it to the window (no score). */
        void replay(KeyState s, double[] input) {
            normalise(s, input, 0, x, 0);
            System.arraycopy(s.h, 0, hs, 0, h);
            System.arraycopy(s.c, 0, cs, 0, h);
            engine.lstmStep(1, x, hs, cs, nexts);
            System.arraycopy(hs, 0, s.h, 0, h);
            System.arraycopy(cs, 0, s.c, 0, h);
            System.arraycopy(nexts, 0, s.next, 0, c);
            System.arraycopy(x, 0, s.window, s.head * c, c);
            s.head = (s.head + 1) % w;
        }

        void run(int[] idx, int start, int end, KeyState[] states, double[][] raw, ResultSink sink) {
            int n = 0;
            for (int e = start; e < end; e++) {
                int i = idx[e];
                KeyState s = states[i];
                double[] in = raw[i];
                int from = 0;
                if (inputs != null) {
                    System.arraycopy(s.prev != null ? s.prev : raw[i], 0, previous, n * c, c);
                    s.prev = diff.input(raw[i], s.prev, inputs, n * c);
                    in = inputs;
                    from = n * c;
                }
                if (s.nsamples >= 0) {
                    estimate(s, in, from);
                    report(i, s, raw[i], sink);
                    continue;
                }
                normalise(s, in, from, x, n * c);
                System.arraycopy(s.h, 0, hs, n * h, h);
                System.arraycopy(s.c, 0, cs, n * h, h);
                System.arraycopy(s.next, 0, before, n * c, c);
                active[n++] = i;
            }
            if (n == 0) {
                return;
            }
            engine.lstmStep(n, x, hs, cs, nexts);
            int ae = 0;
            int wc = w * c;
            for (int k = 0; k < n; k++) {
                KeyState s = states[active[k]];
                System.arraycopy(hs, k * h, s.h, 0, h);
                System.arraycopy(cs, k * h, s.c, 0, h);
                System.arraycopy(nexts, k * c, s.next, 0, c);
                System.arraycopy(x, k * c, s.window, s.head * c, c);
                s.head = (s.head + 1) % w;
                s.count++;
                if (s.count >= w && (s.count - w) % hop != 0) {
                    aeSlot[k] = BETWEEN_RECONSTRUCTIONS;
                } else if (s.count >= w) {
                    // flatten oldest -> newest, the layout the autoencoder was trained on
                    int tail = (w - s.head) * c;
                    System.arraycopy(s.window, s.head * c, windows, ae * wc, tail);
                    System.arraycopy(s.window, 0, windows, ae * wc + tail, s.head * c);
                    aeSlot[k] = ae++;
                } else {
                    aeSlot[k] = NOT_SCORED;
                }
            }
            if (ae > 0) {
                engine.reconstruct(ae, windows, recon);
            }
            for (int k = 0; k < n; k++) {
                int i = active[k];
                evaluate(k, states[i], raw[i]);
                sink.accept(i, this);
            }
        }

        /** The key's dynamic threshold: its own peaks-over-threshold tail at the bundle's risk. */
        private double potThreshold(KeyState s) {
            double m = s.potMean;
            double v = Math.max(s.potSq - m * m, 1e-12);
            double xi = Math.max(-0.45, Math.min(0.45, 0.5 * (1 - m * m / v)));
            double sigma = m * (1 - xi);
            return BundleManifest.PotSpec.threshold(pot.initialZ(), sigma, xi, s.potPeaks / s.potCount, pot.risk());
        }

        /** Adds a normal event to the key's tail; older events fade so the fit follows the key. */
        private void learnTail(KeyState s, double z) {
            s.potCount += 1;
            if (z > pot.initialZ()) {
                double y = z - pot.initialZ();
                s.potPeaks += 1;
                double w = 1.0 / Math.min(s.potPeaks, pot.memory());
                s.potMean += (float) (w * (y - s.potMean));
                s.potSq += (float) (w * (y * y - s.potSq));
            }
            float horizon = (float) (2 * pot.memory() / pot.exceedanceRate());
            if (s.potCount > horizon) {
                s.potCount *= 0.5f;
                s.potPeaks *= 0.5f;
            }
        }

        /** Reports an event that only estimated its key's statistics: not scored. */
        private void report(int i, KeyState s, double[] rawVector, ResultSink sink) {
            k = -1;
            stateNow = s;
            rawNow = rawVector;
            scoredNow = false;
            warmNow = false;
            lstmErr = 0;
            aeErr = 0;
            lz = 0;
            az = 0;
            scoreNow = 0;
            thresholdZNow = thresholdZ;
            java.util.Arrays.fill(share, 1.0 / c);
            java.util.Arrays.fill(zs, 0);
            sink.accept(i, this);
        }

        private void evaluate(int k, KeyState s, double[] rawVector) {
            this.k = k;
            this.stateNow = s;
            this.rawNow = rawVector;
            this.scoredNow = aeSlot[k] != NOT_SCORED;
            boolean reconstructed = aeSlot[k] >= 0;
            double lsq = 0;
            for (int j = 0; j < c; j++) {
                double d = x[k * c + j] - before[k * c + j];
                err[j] = d * d;
                lsq += d * d;
            }
            lstmErr = lsq / c;
            if (!scoredNow) {
                aeErr = 0;
                thresholdZNow = pot == null ? thresholdZ : potThreshold(s);
                warmNow = false;
                lz = 0;
                az = 0;
                scoreNow = 0;
                for (int j = 0; j < c; j++) {
                    share[j] = err[j] / Math.max(lsq, 1e-300);
                }
                return;
            }
            if (reconstructed) {
                int base = aeSlot[k] * w * c;
                double asq = 0;
                for (int j = 0; j < c; j++) {
                    double e = 0;
                    for (int t = w - span; t < w; t++) {
                        double d = recon[base + t * c + j] - windows[base + t * c + j];
                        e += d * d;
                    }
                    err[c + j] = e / span;
                    asq += e;
                }
                s.aeError = (float) (asq / (span * c));
            }
            aeErr = s.aeError;
            boolean first = s.count == w;
            lz = 0;
            az = 0;
            // between reconstructions the autoencoder's channels keep their smoothed errors and statistics,
            // so their z is the latest reconstruction's
            int updated = reconstructed ? 2 * c : c;
            for (int i = 0; i < 2 * c; i++) {
                if (i < updated) {
                    double a = i < c ? alpha : hopAlpha;
                    s.esmooth[i] = first ? (float) err[i] : (float) (a * err[i] + (1 - a) * s.esmooth[i]);
                }
                logs[i] = Math.log(s.esmooth[i] + ERROR_FLOOR);
                double z = (logs[i] - s.emean[i]) / Math.sqrt(Math.max(s.evar[i], 1e-12));
                zs[i] = z;
                double strength = lowerTail ? Math.abs(z) : z;
                if (i < c) {
                    lz = Math.max(lz, strength);
                } else {
                    az = Math.max(az, strength);
                }
            }
            double z = Math.max(lz, az);
            scoreNow = Surprise.score(z);
            warmNow = s.count >= warmAfter;
            thresholdZNow = pot == null ? thresholdZ : potThreshold(s);
            boolean over = z >= thresholdZNow;
            if (!warmNow || !over) {
                if (pot != null) {
                    learnTail(s, z);
                }
                double a = Math.max(statsAlpha, 1.0 / (priorWeight + s.statsCount + 1));
                // the autoencoder's channels adapt once per hop by as much as the LSTM's over the hop
                double aHop = !reconstructed || hop == 1 ? a : a == statsAlpha ? hopStatsAlpha : 1 - Math.pow(1 - a, hop);
                for (int i = 0; i < updated; i++) {
                    double ai = i < c ? a : aHop;
                    double d = logs[i] - s.emean[i];
                    s.emean[i] += (float) (ai * d);
                    s.evar[i] = (float) ((1 - ai) * (s.evar[i] + ai * d * d));
                }
                s.statsCount++;
            }
            double total = 0;
            for (int j = 0; j < c; j++) {
                double l = lowerTail ? Math.abs(zs[j]) : Math.max(0, zs[j]);
                double a2 = lowerTail ? Math.abs(zs[c + j]) : Math.max(0, zs[c + j]);
                double strength = Math.max(l, a2);
                share[j] = strength * strength;
                total += share[j];
            }
            for (int j = 0; j < c; j++) {
                share[j] = total > 0 ? share[j] / total : 1.0 / c;
            }
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
        public double threshold() {
            return pot == null ? threshold : Surprise.score(thresholdZNow);
        }

        @Override
        public String thresholdKind() {
            return pot == null ? BundleManifest.ThresholdSpec.QUANTILE : BundleManifest.ThresholdSpec.POT;
        }

        @Override
        public boolean anomalous() {
            return warmNow && Math.max(lz, az) >= thresholdZNow;
        }

        @Override
        public double lstmError() {
            return lstmErr;
        }

        @Override
        public double aeError() {
            return aeErr;
        }

        @Override
        public double lstmZ() {
            return lz;
        }

        @Override
        public double aeZ() {
            return az;
        }

        @Override
        public double thresholdZ() {
            return thresholdZNow;
        }

        @Override
        public String firedBy() {
            boolean l = lz >= thresholdZNow;
            boolean a = az >= thresholdZNow;
            return l && a ? "BOTH" : l ? "LSTM" : a ? "AUTOENCODER" : "NONE";
        }

        @Override
        public String modelId() {
            return modelId;
        }

        @Override
        public String modelVersion() {
            return version;
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
            double predicted = before[k * c + j] * stateNow.nstd[j] + stateNow.nmean[j];
            return differenced[j] ? previous[k * c + j] + predicted : predicted; // a difference: add the last reading
        }

        @Override
        public double actual(int j) {
            return rawNow[j];
        }

        @Override
        public double contribution(int j) {
            return share[j];
        }
    }
}
