package io.vigil.job;

import io.vigil.scoring.Calibrator;
import io.vigil.scoring.TestModels;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleWriter;
import io.vigil.scoring.bundle.ModelStore;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Small calibrated bundles for operator tests: untrained random networks (the operator's behaviour,
 * not model quality, is under test) calibrated on {@link #normalRow} data, published to a store.
 */
public final class TestBundles {

    public static final int CHANNELS = 3;
    public static final int WINDOW = 6;

    private TestBundles() {}

    /** Normal data: the test normaliser's means (0, 10, 20) and scales (1, 2, 3) with a slow wave and noise. */
    public static double[] normalRow(Random r, long t) {
        double[] row = new double[CHANNELS];
        for (int j = 0; j < CHANNELS; j++) {
            row[j] = 10.0 * j + (1.0 + j) * (0.5 * Math.sin(t / 3.0 + j) + 0.2 * r.nextGaussian());
        }
        return row;
    }

    /** Publishes a calibrated model with the given warm-up and returns it as loaded from the store. */
    public static ScoringModel publish(Path store, Path work, String version, long seed, int warmup) throws Exception {
        MultiLayerNetwork lstm = TestModels.randomLstm(CHANNELS, 8, seed);
        MultiLayerNetwork ae = TestModels.randomAutoencoder(WINDOW * CHANNELS, seed);
        BundleManifest draft = TestModels.manifest(version, CHANNELS, WINDOW, warmup);
        Random r = new Random(seed);
        List<double[][]> validation = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            keys.add("validation-" + k);
            double[][] rows = new double[400][];
            for (int t = 0; t < rows.length; t++) {
                rows[t] = normalRow(r, t);
            }
            validation.add(rows);
        }
        BundleManifest calibrated =
                Calibrator.calibrate(draft, lstm, ae, keys, validation, null).manifest();
        Path dir = work.resolve("bundle-" + version);
        BundleWriter.write(dir, new BundleWriter.Draft(calibrated, lstm, ae, Map.of()));
        return ModelStore.publish(dir, store);
    }
}
