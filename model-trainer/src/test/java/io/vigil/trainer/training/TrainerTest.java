package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleException;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.Checksums;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedTestBundle;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.evaluation.Evaluator;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    @Test
    void theWrittenBundleReadsBackVerifiedWithItsTrainingSummary() throws IOException {
        TrainingResult r = TrainedTestBundle.trained();
        Path bundle = TrainedTestBundle.bundle();
        String sha = Checksums.sha256(Files.readAllBytes(bundle.resolve("manifest.json")));

        ScoringModel m = BundleReader.read(new LocalBundleFiles(bundle), sha);

        assertThat(m.features().names()).containsExactly("ch0", "ch1", "ch2");
        assertThat(m.windowLength()).isEqualTo(8);
        assertThat(m.alert().threshold()).isEqualTo(r.threshold()).isEqualTo(TrainingConfig.DEFAULT_THRESHOLD);
        // the error scales are the validation medians: positive, one per channel and network
        assertThat(m.scoring().scales().lstm()).hasSize(3);
        assertThat(java.util.Arrays.stream(m.scoring().scales().lstm()).min().orElseThrow())
                .isPositive();
        assertThat(m.scoring().reference().prior()).hasSize(io.vigil.scoring.Reference.SIZE);
        assertThat(m.lstm().params()).isEqualTo(r.draft().lstm().params());
        assertThat(m.autoencoder().params()).isEqualTo(r.draft().autoencoder().params());
        Map<String, Object> t = m.manifest().training();
        assertThat(t)
                .containsEntry("entities", 2)
                .containsEntry("rows", 2000)
                .containsEntry("trainRows", 1600)
                .containsEntry("trainNormalRows", 1600)
                .containsEntry("validationRows", 400)
                .containsEntry("seed", 42);
        // each validation run of 200 rows is scored from its W-th event on: 200 - (W - 1) = 193 events
        assertThat(r.validationEvents()).isEqualTo(2 * (200 - 7));
        assertThat(((Map<?, ?>) t.get("calibration")).get("validationEvents")).isEqualTo(386);
        assertThat(((Map<?, ?>) t.get("lstm")).get("epochs")).isEqualTo(r.lstm().epochsRun());
        assertThat(m.manifest().metrics()).isNull(); // unlabelled history: nothing to measure against
        assertThat(r.lstm().bestValidationLoss()).isLessThan(r.lstm().validationLosses()[0] / 2);
        assertThat(r.autoencoder().bestValidationLoss())
                .isLessThan(r.autoencoder().validationLosses()[0] * 0.8);
    }

    @Test
    void aCorruptedNetworkFileIsRefusedByName() throws IOException {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(TrainedTestBundle.bundle())) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        byte[] lstm = Files.readAllBytes(copy.resolve("lstm.zip"));
        lstm[lstm.length / 2] ^= 0x5A;
        Files.write(copy.resolve("lstm.zip"), lstm);

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(copy), null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("lstm.zip has SHA-256");
    }

    @Test
    void normalDataAlarmsAtAboutOneMinusTheQuantileAndAnEightSigmaSpikeIsFlagged() {
        ScoringModel m = BundleReader.read(new LocalBundleFiles(TrainedTestBundle.bundle()), null);
        double std1 = m.normaliser().std()[1];
        List<EntitySeries> fresh = new ArrayList<>();
        int spikeRow = 400;
        for (int e = 0; e < 4; e++) {
            EntitySeries s = SyntheticData.series("fresh-" + e, 600, 3, 100 + e, new boolean[600]);
            if (e == 0) {
                s.values()[spikeRow][1] += 8 * std1;
                s.labels()[spikeRow] = true;
            }
            fresh.add(s);
        }
        History test = new History(SyntheticData.features(3), fresh, List.of("fresh"));

        EvaluationReport report = Evaluator.evaluate(m, test, Scorer.Settings.defaults());

        assertThat(report.events()).isEqualTo(4 * (600 - 15));
        assertThat(report.confusion().tp()).isEqualTo(1); // the spike
        // quantile 0.99: about 1% of normal events alarm; a bound, as calibration saw 370 events
        // about 1 - 0.99, estimated from only ~370 autocorrelated validation scores: allow 5x
        assertThat(report.confusion().falseAlarmRate()).isLessThan(0.05);
        assertThat(report.ranking().orElseThrow().rocAuc()).isGreaterThan(0.97);
    }

    @Test
    void aDifferencedChannelIsTrainedOnItsDifferencesAndNamedInTheManifest() {
        History h = SyntheticData.history(1, 400, 3, 8);
        TrainingResult r = new Trainer(
                        TrainedTestBundle.tinyConfig()
                                .maxEpochs(2)
                                .differenced(List.of("ch2"))
                                .build(),
                        ProgressListener.silent())
                .train(h);
        BundleManifest m = r.draft().manifest();
        assertThat(m.differenced()).containsExactly("ch2");
        // the global standardisation of ch2 is that of its changes over the training rows, not of its level
        double[][] v = h.series().get(0).values();
        int trainRows = Partition.of(h, TrainedTestBundle.tinyConfig().build().validationFraction())
                .get(0)
                .trainRows();
        double[] changes = new double[trainRows];
        for (int t = 1; t < trainRows; t++) {
            changes[t] = v[t][2] - v[t - 1][2];
        }
        double mean = java.util.Arrays.stream(changes).average().orElseThrow();
        double var = java.util.Arrays.stream(changes)
                        .map(d -> (d - mean) * (d - mean))
                        .sum()
                / (trainRows - 1);
        assertThat(m.normaliser().std()[2]).isCloseTo(Math.sqrt(var), within(1e-9));
        assertThat(m.normaliser().std()[1]).isGreaterThan(1.0); // ch1, a level: amplitude 1.5
        assertThat(m.normaliser().std()[2]).isLessThan(0.6);

        TrainingConfig unknown = TrainedTestBundle.tinyConfig()
                .maxEpochs(1)
                .differenced(List.of("temperature"))
                .build();
        assertThatThrownBy(() -> new Trainer(unknown, ProgressListener.silent()).train(h))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'temperature'")
                .hasMessageContaining("[ch0, ch1, ch2]");
    }

    @Test
    void theSameSeedGivesIdenticalParametersAndProgressIsReported() {
        History h = SyntheticData.history(1, 400, 3, 8);
        TrainingConfig config =
                TrainedTestBundle.tinyConfig().maxEpochs(3).patience(3).build();
        List<EpochProgress> progress = new ArrayList<>();
        TrainingResult first = new Trainer(config, progress::add).train(h);
        TrainingResult again = new Trainer(config, ProgressListener.silent()).train(h);

        assertThat(again.draft().lstm().params()).isEqualTo(first.draft().lstm().params());
        assertThat(again.draft().autoencoder().params())
                .isEqualTo(first.draft().autoencoder().params());
        assertThat(again.threshold()).isEqualTo(first.threshold());
        TrainingResult otherSeed = new Trainer(
                        TrainedTestBundle.tinyConfig()
                                .maxEpochs(3)
                                .patience(3)
                                .seed(43)
                                .build(),
                        ProgressListener.silent())
                .train(h);
        assertThat(otherSeed.draft().lstm().params())
                .isNotEqualTo(first.draft().lstm().params());

        assertThat(progress).hasSize(6);
        EpochProgress p = progress.get(0);
        assertThat(p.model()).isEqualTo("lstm");
        assertThat(p.epoch()).isEqualTo(1);
        assertThat(p.maxEpochs()).isEqualTo(3);
        assertThat(p.secondsLeftAtMost()).isCloseTo(2 * p.secondsPerEpoch(), within(1e-9));
        assertThat(progress.get(3).model()).isEqualTo("ae");
        assertThat(progress.get(3).epoch()).isEqualTo(1);
    }

    @Test
    void labelledAnomaliesAreCutOutOfTrainingAndMeasuredOnValidationAndEvaluationData() {
        List<EntitySeries> series = new ArrayList<>();
        int anomaliesInTraining = 0;
        int anomaliesInValidation = 0;
        for (int e = 0; e < 2; e++) {
            boolean[] labels = new boolean[600];
            EntitySeries s = SyntheticData.series("e" + e, 600, 3, 30 + e, labels);
            // single spikes in the training rows; in the validation rows two runs of 6 rows, each larger than
            // anything before it (a key remembers what it has seen, spikes too, so a repeat is no news)
            List<Integer> rows = new ArrayList<>(List.of(100, 101, 300));
            for (int i = 0; i < 6; i++) {
                rows.add(500 + 20 * e + i);
                rows.add(560 + i);
            }
            for (int row : rows) {
                // channel 0 has amplitude 1: +8 is about 11 standard deviations
                s.values()[row][0] += row < 480 ? 8 : row < 560 ? 24 : 72;
                labels[row] = true;
                if (row < 480) {
                    anomaliesInTraining++;
                } else {
                    anomaliesInValidation++;
                }
            }
            series.add(s);
        }
        History h = new History(SyntheticData.features(3), series, List.of("labelled"));
        History evaluateOn = new History(
                SyntheticData.features(3),
                List.of(SyntheticData.series("other", 300, 3, 77, new boolean[300])),
                List.of("other"));

        TrainingResult r = new Trainer(
                        TrainedTestBundle.tinyConfig().maxEpochs(6).build(), ProgressListener.silent())
                .train(h, evaluateOn);

        Map<String, Object> t = r.manifest().training();
        assertThat(t)
                .containsEntry("trainRows", 960)
                .containsEntry("trainNormalRows", 960 - anomaliesInTraining)
                .containsEntry("validationNormalRows", 240 - anomaliesInValidation);
        Map<?, ?> validation = (Map<?, ?>) r.manifest().metrics().get("validation");
        // the validation rows are scored after the training rows, so every one of them is warm
        assertThat(validation.get("events")).isEqualTo(240);
        assertThat(validation.get("anomalousEvents")).isEqualTo((long) anomaliesInValidation);
        // each run opens an alert as its evidence builds (a row or two in) and keeps it open: most rows are caught
        assertThat(r.validationReport().confusion().recall()).isGreaterThanOrEqualTo(0.6);
        assertThat(r.validationReport().confusion().tp()).isGreaterThanOrEqualTo(4 * 3); // half of the 4 x 6 rows
        Map<?, ?> evaluation = (Map<?, ?>) r.manifest().metrics().get("evaluation");
        assertThat(evaluation.get("events")).isEqualTo(300 - 15);
        assertThat(evaluation.get("anomalousEvents")).isEqualTo(0L);
        assertThat(r.evaluationReport().ranking()).isEmpty();
    }

    @Test
    void entitiesWithEnoughRowsGetTheirOwnModels() throws IOException {
        History h = new History(
                SyntheticData.features(3),
                List.of(SyntheticData.series("big", 1000, 3, 5, null), SyntheticData.series("small", 300, 3, 6, null)),
                List.of("fleet"));

        TrainingResult r = new Trainer(
                        TrainedTestBundle.tinyConfig()
                                .maxEpochs(4)
                                .perKeyMinRows(500)
                                .build(),
                        ProgressListener.silent())
                .train(h);
        Path bundle = dir.resolve("per-key");
        r.writeTo(bundle);
        ScoringModel m = BundleReader.read(new LocalBundleFiles(bundle), null);

        assertThat(r.keyModels()).containsOnlyKeys("big");
        assertThat(m.keyModels()).containsOnlyKeys("big");
        assertThat(m.forKey("small")).isSameAs(m);
        ScoringModel big = m.forKey("big");
        assertThat(big).isNotSameAs(m);
        assertThat(big.manifest().training()).containsEntry("rows", 1000).containsEntry("entities", 1);
        assertThat(big.normaliser()).isNotEqualTo(m.normaliser()); // fitted on its own rows only
        assertThat(m.manifest().training().get("perKeyModels")).isEqualTo(List.of("big"));
    }
}
