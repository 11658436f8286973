package io.vigil.scoring;

import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.scoring.engine.EngineKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one scoring code path, shared by the trainer (calibration, evaluation) and the Flink job.
 *
 * <p>Given a batch of events, each with its key's {@link KeyState}, it steps every key's LSTM once
 * (carrying (h, c), so the cost per event does not depend on the window length), reconstructs a key's
 * window with the autoencoder every {@code aeHop}-th event, turns the errors into a score
 * ({@link SurpriseScore}) and applies the alert lifecycle ({@link AlertLifecycle}). Events of different
 * keys go through the engine together; a key with several events in the batch is processed in rounds,
 * its k-th event in round k, so its events stay in order. {@link ModelRun} holds one model's buffers.
 *
 * <p>Not thread-safe: one scorer per thread (per Flink subtask).
 */
public final class Scorer implements AutoCloseable {

    /**
     * Receives the result of each event, by its index in the batch. For a resolving event the key's
     * episode still holds the alert during the call (for the resolve record) and is cleared after it.
     */
    @FunctionalInterface
    public interface ResultSink {
        void accept(int event, ScoreView view);
    }

    /**
     * How the scorer runs; serialisable so it can travel inside a Flink operator. Negative or NaN
     * overrides mean the bundle's value.
     *
     * @param engine which forward pass to use
     * @param maxBatch largest number of keys per engine call
     * @param thresholdOverride an alert threshold as a score in (0, 1) instead of the bundle's, or NaN
     * @param warmupOverride events of warm-up after the first full window instead of the bundle's, or -1
     * @param resolveAfterOverride normal events that resolve an alert instead of the bundle's, or -1
     * @param maxOpenOverride events after which an open alert becomes the new normal, or -1
     * @param cooldown how long after a resolve no new alert opens for the key
     */
    public record Settings(
            EngineKind engine,
            int maxBatch,
            double thresholdOverride,
            int warmupOverride,
            int resolveAfterOverride,
            int maxOpenOverride,
            Duration cooldown)
            implements Serializable {

        public Settings {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, is " + maxBatch);
            }
            if (!Double.isNaN(thresholdOverride)) {
                Surprise.checkScore(thresholdOverride, "the alert threshold");
            }
        }

        public static Settings defaults() {
            return new Settings(EngineKind.NATIVE, 256, Double.NaN, -1, -1, -1, Duration.ZERO);
        }

        public Settings withEngine(EngineKind e, int batch) {
            return new Settings(
                    e, batch, thresholdOverride, warmupOverride, resolveAfterOverride, maxOpenOverride, cooldown);
        }

        public Settings withThreshold(double score) {
            return new Settings(
                    engine, maxBatch, score, warmupOverride, resolveAfterOverride, maxOpenOverride, cooldown);
        }

        public Settings withWarmup(int events) {
            return new Settings(
                    engine, maxBatch, thresholdOverride, events, resolveAfterOverride, maxOpenOverride, cooldown);
        }

        /** The alert lifecycle for model {@code m}: its bundle's settings with these overrides. */
        public AlertLifecycle lifecycle(ScoringModel m) {
            var spec = m.alert();
            double threshold =
                    Double.isNaN(thresholdOverride) ? spec.threshold() : Surprise.surprise(thresholdOverride);
            return new AlertLifecycle(
                    threshold,
                    Math.min(spec.drift(), threshold),
                    resolveAfterOverride >= 1 ? resolveAfterOverride : spec.resolveAfter(),
                    maxOpenOverride >= 1 ? maxOpenOverride : spec.maxOpenEvents(),
                    cooldown);
        }
    }

    private final ScoringModel model;
    private final Settings settings;
    private final Map<ScoringModel, ModelRun> runs = new IdentityHashMap<>();
    /** Per event of the batch being scored, its round; and one round's event indices (both reused). */
    private int[] round = new int[0];

    private int[] picked = new int[0];

    public Scorer(ScoringModel model, Settings settings) {
        this.model = model;
        this.settings = settings;
    }

    /**
     * A scorer for a newly published model. Keys this one scored are migrated when they reach it: their
     * remembered vectors are re-expressed in the new model's standardisation and replayed through the
     * new LSTM, so they keep scoring without a new warm-up; their references and alert carry over.
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

    /** The count of events after which a key of this scorer's model may alert. */
    public long warmAfter() {
        return model.warmAfter(settings.warmupOverride());
    }

    /**
     * Scores {@code n} events. Event i belongs to key {@code keys[i]} whose state is {@code states[i]}
     * (the same object for every event of that key, events of a key in event-time order); its values
     * in feature order are {@code raw[i]}; its event time is {@code times[i]}. States are updated in
     * place; results go to {@code sink}.
     */
    public void score(int n, String[] keys, KeyState[] states, double[][] raw, long[] times, ResultSink sink) {
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
                run(model, picked, size, keys, states, raw, times, sink);
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
                run(e.getKey(), e.getValue(), sizes.get(e.getKey()), keys, states, raw, times, sink);
            }
        }
    }

    /** Scores events {@code idx[0, size)} with model {@code m}, at most {@code maxBatch} per engine call. */
    private void run(
            ScoringModel m,
            int[] idx,
            int size,
            String[] keys,
            KeyState[] states,
            double[][] raw,
            long[] times,
            ResultSink sink) {
        ModelRun run = runOf(m);
        for (int from = 0; from < size; from += settings.maxBatch()) {
            run.run(idx, from, Math.min(size, from + settings.maxBatch()), keys, states, raw, times, sink);
        }
    }

    private ModelRun runOf(ScoringModel m) {
        return runs.computeIfAbsent(m, x -> new ModelRun(x, settings));
    }

    /** A fresh state for a key that the model has not seen. */
    public KeyState newState(String key) {
        KeyState s = new KeyState();
        prepare(s, model.forKey(key), key);
        return s;
    }

    private void prepare(KeyState s, ScoringModel m, String key) {
        String id = m.shortId();
        if (id.equals(s.model)) {
            if (s.memory.aeRatios == null) { // restored from a state format without these parts
                s.memory.aeRatios = new float[m.features().size()];
                runOf(m).score.prepare(s);
            }
            return;
        }
        int w = m.windowLength();
        int c = m.features().size();
        int h = m.hiddenSize();
        boolean differences = !m.differencing().isNone();
        KeyState.Memory mem = s.memory;
        KeyState.Standardisation std = s.standardisation;
        // the remembered window is replayed into the new model only if it is in the same input space
        // (levels, or differences: a key state has a previous reading exactly when its model differenced)
        boolean migrate = mem.window != null
                && mem.window.length == w * c
                && std.mean != null
                && std.mean.length == c
                && std.samples < 0
                && (mem.previous != null) == differences;
        float[] oldWindow = mem.window;
        double[] oldMean = std.mean;
        double[] oldStd = std.std;
        int oldHead = mem.head;
        long oldCount = s.count;
        s.model = id;
        if (!differences || (mem.previous != null && mem.previous.length != c)) {
            mem.previous = null; // (a differencing model starts from the key's latest reading, if it has one)
        }
        mem.window = new float[w * c];
        mem.head = 0;
        mem.h = new float[h];
        mem.c = new float[h];
        mem.next = new float[c];
        mem.aeRatios = new float[c];
        if (s.references.adaptive != null && s.references.adaptive.length != Reference.SIZE) {
            s.references.adaptive = null;
        }
        ModelRun run = runOf(m);
        run.score.prepare(s);
        Normaliser own = m.normaliserFor(key);
        if (own != null) {
            std.mean = own.mean();
            std.std = own.std();
            std.samples = -1;
        } else if (!migrate) {
            std.mean = new double[c]; // estimated from the key's first events
            std.std = new double[c];
            std.samples = 0;
        }
        if (!migrate) {
            s.count = 0;
            return;
        }
        // Re-express the remembered vectors in the new standardisation and replay them through the new
        // LSTM, so the key keeps scoring without a new warm-up.
        long filled = Math.min(oldCount, w);
        double[] input = new double[c];
        for (long k = filled; k > 0; k--) {
            int slot = (int) Math.floorMod(oldHead - k, (long) w);
            for (int j = 0; j < c; j++) {
                input[j] = oldWindow[slot * c + j] * oldStd[j] + oldMean[j];
            }
            run.replay(s, input);
        }
        s.count = oldCount;
    }

    @Override
    public void close() {
        runs.values().forEach(ModelRun::close);
        runs.clear();
    }
}
