package io.vigil.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ScoringModel;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedTestBundle;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    @TempDir
    Path dir;

    @Test
    void theReportMatchesAHandCount() throws IOException {
        boolean[] labelsA = {true, false, true, false, true, false, false, true};
        boolean[] verdicts = {true, true, false, false, true, false, false, false};
        double[] scores = {0.9, 0.8, 0.3, 0.1, 0.95, 0.2, 0.4, 0.5};
        double[][] values = new double[8][];
        long[] ts = new long[8];
        for (int i = 0; i < 8; i++) {
            values[i] = new double[] {i * 1.5};
            ts[i] = SyntheticData.START + i * 1000L;
        }
        EntitySeries a = new EntitySeries("a", ts, values, labelsA, "hand");
        EntitySeries b = new EntitySeries(
                "b,2", new long[] {0, 1}, new double[][] {{1}, {2}}, new boolean[] {false, true}, "hand");
        ScoredEvents events = new ScoredEvents();
        events.add(
                1,
                1,
                0.7,
                true,
                AlertLifecycle.Transition.NONE,
                true); // out of order on purpose: the report orders by entity, then time
        for (int i = 0; i < 8; i++) {
            events.add(0, i, scores[i], verdicts[i], AlertLifecycle.Transition.NONE, labelsA[i]);
        }
        events.add(1, 0, 0.6, true, AlertLifecycle.Transition.NONE, false);
        EvaluationReport r = new EvaluationReport(
                new EvaluationReport.Subject("m", "v1", "abc", 0.75, "evaluation", List.of("hand.csv"), null),
                new FeatureSpec(List.of("x")),
                List.of(a, b),
                events,
                3);

        assertThat(r.perEntity().get("a")).isEqualTo(new Confusion(2, 1, 2, 3));
        assertThat(r.perEntity().get("b,2")).isEqualTo(new Confusion(1, 1, 0, 0));
        assertThat(r.confusion()).isEqualTo(new Confusion(3, 2, 2, 3));
        assertThat(r.events()).isEqualTo(10);
        assertThat(r.anomalousEvents()).isEqualTo(5);
        assertThat(r.warmupEvents()).isEqualTo(3);
        // positives 0.95 0.9 0.7 0.5 0.3 vs negatives 0.8 0.6 0.4 0.2 0.1: 5 + 5 + 4 + 3 + 2 = 19 of 25 pairs
        assertThat(r.ranking().orElseThrow().rocAuc()).isCloseTo(19 / 25.0, within(1e-12));
        assertThat(r.event(0).entity()).isEqualTo("a");
        assertThat(r.event(9).entity()).isEqualTo("b,2");
        assertThat(r.event(9).score()).isEqualTo(0.7);

        r.writeTo(dir);
        JsonNode json =
                new ObjectMapper().readTree(dir.resolve("evaluation.json").toFile());
        assertThat(json.get("tp").asLong()).isEqualTo(3);
        assertThat(json.get("fp").asLong()).isEqualTo(2);
        assertThat(json.get("precision").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(json.get("recall").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(json.get("falseAlarmRate").asDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(json.get("perEntity").get("a").get("fn").asLong()).isEqualTo(2);
        assertThat(json.get("rocCurve").get(0).get("threshold").isNull()).isTrue();
        assertThat(json.get("rocCurve").size()).isEqualTo(11);
        List<String> csv = Files.readAllLines(dir.resolve("scores.csv"));
        assertThat(csv).hasSize(11);
        assertThat(csv.get(0)).isEqualTo("entity,timestamp,x,anomaly_score,anomalous,label");
        assertThat(csv.get(1)).isEqualTo("a,2024-01-01T00:00:00Z,0.0,0.9,1,1");
        assertThat(csv.get(10)).isEqualTo("\"b,2\",1970-01-01T00:00:00.001Z,2.0,0.7,1,1");
    }

    @Test
    void aTrainedBundleIsEvaluatedOnWarmEventsOnly() {
        Path bundle = TrainedTestBundle.bundle();
        boolean[] l1 = new boolean[100];
        l1[5] = true; // before the key is warm: not counted
        l1[40] = true;
        l1[41] = true;
        boolean[] l2 = new boolean[60];
        l2[59] = true;
        History h = new History(
                SyntheticData.features(3),
                List.of(SyntheticData.series("p", 100, 3, 50, l1), SyntheticData.series("q", 60, 3, 51, l2)),
                List.of("t"));

        EvaluationReport r = Evaluator.evaluate(bundle, h);

        // W = 8 and 8 warm-up events: an entity's events from its 16th on are warm
        assertThat(r.events()).isEqualTo((100 - 15) + (60 - 15));
        assertThat(r.warmupEvents()).isEqualTo(30);
        assertThat(r.anomalousEvents()).isEqualTo(3);
        assertThat(r.perEntity().get("p").tp() + r.perEntity().get("p").fn()).isEqualTo(2);
        assertThat(r.subject().modelId()).isEqualTo("test-model");

        ScoringModel model = BundleReader.read(new LocalBundleFiles(bundle), null);
        EvaluationReport strict =
                Evaluator.evaluate(model, h, Scorer.Settings.defaults().withThreshold(1 - 1e-9));
        assertThat(strict.subject().threshold()).isCloseTo(1 - 1e-9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(strict.confusion().fp()).isLessThanOrEqualTo(r.confusion().fp());
    }

    @Test
    void refusesUnlabelledHistoryAndOtherFeatures() {
        ScoringModel model = BundleReader.read(new LocalBundleFiles(TrainedTestBundle.bundle()), null);
        History unlabelled = SyntheticData.history(1, 50, 3, 1);
        assertThatThrownBy(() -> Evaluator.evaluate(model, unlabelled, Scorer.Settings.defaults()))
                .hasMessageContaining("Evaluation needs labelled history")
                .hasMessageContaining("e0 (synthetic)");
        History other = new History(
                SyntheticData.features(2), List.of(SyntheticData.series("e", 50, 2, 1, new boolean[50])), List.of("t"));
        assertThatThrownBy(() -> Evaluator.evaluate(model, other, Scorer.Settings.defaults()))
                .hasMessageContaining("features [ch0, ch1] but model test-model/v1 needs [ch0, ch1, ch2]");
    }
}
