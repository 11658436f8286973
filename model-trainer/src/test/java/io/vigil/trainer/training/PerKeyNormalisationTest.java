package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.Replay;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedTestBundle;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each entity standardised with its own statistics; a new key estimates its statistics first. */
class PerKeyNormalisationTest {

    private static final int ROWS = 400;
    private static final int NORMALISER_EVENTS = 32;

    @Test
    void keysKeepTheirOwnScaleAndNewKeysEstimateTheirsBeforeScoring() {
        double[][] small = SyntheticData.values(ROWS, 3, 1, 0);
        double[][] big = scaled(SyntheticData.values(ROWS, 3, 2, 0), 10, 1000);
        History history = new History(
                SyntheticData.features(3),
                List.of(
                        new EntitySeries("small", SyntheticData.timestamps(ROWS, 0), small, null, "t"),
                        new EntitySeries("big", SyntheticData.timestamps(ROWS, 0), big, null, "t")),
                List.of("t"));

        TrainingResult r = new Trainer(
                        TrainedTestBundle.tinyConfig()
                                .perKeyNormalisation(true)
                                .normaliserEvents(NORMALISER_EVENTS)
                                .build(),
                        ProgressListener.silent())
                .train(history);

        var manifest = r.manifest();
        assertThat(manifest.normalisation()).isEqualTo("per-key");
        assertThat(manifest.keyNormalisers()).containsOnlyKeys("small", "big");
        assertThat(manifest.keyNormalisers().get("big").mean()[0]).isCloseTo(1000, within(1.0));
        assertThat(manifest.keyNormalisers().get("big").std()[1])
                .isCloseTo(10 * manifest.keyNormalisers().get("small").std()[1], within(0.5));
        assertThat(manifest.scoring().normaliserEvents()).isEqualTo(NORMALISER_EVENTS);

        ScoringModel model =
                ScoringModel.assemble(manifest, r.draft().lstm(), r.draft().autoencoder());
        int w = manifest.windowLength();
        double[][] later = SyntheticData.values(200, 3, 9, ROWS);
        double[][] shifted = later.clone();
        for (int t = 120; t < 150; t++) {
            shifted[t] = later[t].clone();
            shifted[t][1] += 3 * 1.5; // three amplitudes of channel 1, in the entity's own units
        }
        List<Integer> firstScored = new ArrayList<>(List.of(-1, -1, -1));
        boolean[] flaggedInShift = new boolean[1];
        int[] openedOutside = new int[1];
        try (Scorer scorer = new Scorer(model, Scorer.Settings.defaults())) {
            Replay.run(
                    scorer,
                    List.of("small", "stranger", "big"),
                    List.of(shifted, later, scaled(later, 10, 1000)),
                    (k, row, state, view) -> {
                        if (view.scored() && firstScored.get(k) < 0) {
                            firstScored.set(k, row);
                        }
                        if (k == 0 && view.anomalous() && row >= 120 && row < 150) {
                            flaggedInShift[0] = true;
                        }
                        if (k == 0
                                && view.transition() == AlertLifecycle.Transition.OPEN
                                && (row < 120 || row >= 150)) {
                            openedOutside[0]++;
                        }
                    });
        }
        assertThat(firstScored.get(0)).isEqualTo(w - 1); // known: scored from its first full window
        assertThat(firstScored.get(2)).isEqualTo(w - 1);
        assertThat(firstScored.get(1)).isEqualTo(NORMALISER_EVENTS + w - 1); // new: estimates first
        assertThat(flaggedInShift[0]).isTrue();
        // about 170 normal events, before and after the shift: no other alert opens (the shift's own alert
        // stays open while the window still holds shifted vectors and until the key is back to normal)
        assertThat(openedOutside[0]).isZero();
    }

    private static double[][] scaled(double[][] v, double factor, double offset) {
        double[][] out = new double[v.length][];
        for (int t = 0; t < v.length; t++) {
            out[t] = new double[v[t].length];
            for (int j = 0; j < v[t].length; j++) {
                out[t][j] = v[t][j] * factor + offset;
            }
        }
        return out;
    }
}
