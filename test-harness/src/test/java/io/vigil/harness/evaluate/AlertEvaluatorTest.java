package io.vigil.harness.evaluate;

import static io.vigil.harness.evaluate.TestAlerts.open;
import static io.vigil.harness.evaluate.TestAlerts.resolved;
import static io.vigil.harness.evaluate.TestAlerts.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.AnomalyWindow;
import io.vigil.harness.truth.EventLabel;
import io.vigil.schemas.AlertStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scoring rules on their own: tolerance edges, lifecycle oddities, event coverage, report output. */
class AlertEvaluatorTest {

    private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long S = 1_000; // one event interval

    private static AnomalyWindow window(String id, String entity, long firstEvent, long lastEvent) {
        return new AnomalyWindow(
                id,
                entity,
                AnomalyKind.LEVEL_SHIFT,
                Instant.ofEpochMilli(T0 + firstEvent * S),
                Instant.ofEpochMilli(T0 + lastEvent * S),
                List.of("temperature"),
                "");
    }

    private static List<EventLabel> labels(String entity, int events, AnomalyWindow... windows) {
        List<EventLabel> out = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long t = T0 + i * S;
            boolean anomalous = false;
            for (AnomalyWindow w : windows) {
                anomalous |= w.entityId().equals(entity) && w.contains(Instant.ofEpochMilli(t));
            }
            out.add(new EventLabel(entity, t, anomalous));
        }
        return out;
    }

    @Test
    void anOpenAtEndPlusToleranceDetectsAndOneIntervalLaterDoesNot() {
        AnomalyWindow w1 = window("w1", "e1", 100, 109);
        AnomalyWindow w2 = window("w2", "e2", 100, 109);
        AlertEvaluator evaluator = new AlertEvaluator(List.of(w1, w2), List.of(), new AlertEvaluator.Options(S, 4));
        AlertEvaluation r = evaluator.evaluate(AlertLog.of(List.of(
                open("e1", T0 + 113 * S), // end 109 + tolerance 4: the last event that counts
                open("e2", T0 + 114 * S), // one too late: a false alarm, and w2 is missed
                open("e2", T0 + 99 * S)))); // before the window: not a detection either
        assertThat(r.windows().detected()).isEqualTo(1);
        assertThat(r.alerts().episodes()).isEqualTo(3);
        assertThat(r.alerts().truePositive()).isEqualTo(1);
        assertThat(r.delay().medianEvents()).isEqualTo(13.0);
        assertThat(r.events()).isNull();
    }

    @Test
    void delayIsMeasuredFromTheFirstOpenInTheWindow() {
        AnomalyWindow w = window("w", "e1", 100, 150);
        AlertEvaluator evaluator = new AlertEvaluator(List.of(w), List.of(), AlertEvaluator.Options.of(S));
        AlertEvaluation r = evaluator.evaluate(AlertLog.of(List.of(
                open("e1", T0 + 120 * S), resolved("e1", T0 + 120 * S, T0 + 125 * S),
                open("e1", T0 + 104 * S), resolved("e1", T0 + 104 * S, T0 + 110 * S))));
        assertThat(r.windows().detected()).isEqualTo(1);
        assertThat(r.alerts().truePositive()).isEqualTo(2); // both open inside the window
        assertThat(r.delay().count()).isEqualTo(1);
        assertThat(r.delay().medianMillis()).isEqualTo(4_000.0);
        assertThat(r.delay().p90Events()).isEqualTo(4.0);
    }

    @Test
    void lifecycleOdditiesAreCountedNotFatal() {
        AnomalyWindow w = window("w", "e1", 100, 119);
        List<EventLabel> labels = labels("e1", 200, w);
        AlertEvaluator evaluator = new AlertEvaluator(List.of(w), labels, AlertEvaluator.Options.of(S));
        AlertEvaluation r = evaluator.evaluate(new AlertLog(
                List.of(
                        open("e1", T0 + 110 * S),
                        open("e1", T0 + 110 * S), // redelivered: a duplicate
                        update("e1", T0 + 110 * S, T0 + 112 * S),
                        update("e1", T0 + 110 * S, T0 + 115 * S), // a second escalation is not a duplicate
                        update("e1", T0 + 110 * S, T0 + 115 * S), // this one is
                        resolved("e1", T0 + 40 * S, T0 + 45 * S)), // its OPEN never arrived
                7,
                1));
        AlertEvaluation.Integrity i = r.integrity();
        assertThat(i.recordsRead()).isEqualTo(7);
        assertThat(i.undecodable()).isEqualTo(1);
        assertThat(i.alerts()).isEqualTo(6);
        assertThat(i.distinctAlertIds()).isEqualTo(2);
        assertThat(i.duplicates()).isEqualTo(2);
        assertThat(i.resolvedWithoutOpen()).isEqualTo(1);
        assertThat(i.neverResolved()).isEqualTo(1);
        // Never resolved: open from event 110 to the end (199), 90 events; the window is 100..119.
        assertThat(r.events().confusion().tp()).isEqualTo(10);
        assertThat(r.events().confusion().fp()).isEqualTo(80);
        assertThat(r.events().confusion().fn()).isEqualTo(10);
        assertThat(r.events().confusion().tn()).isEqualTo(100);
        assertThat(r.events().precision()).isCloseTo(10 / 90.0, within(1e-12));
    }

    @Test
    void openedAtFallsBackToTheEventTimeWhenUnset() {
        AnomalyWindow w = window("w", "e1", 100, 119);
        var record = TestAlerts.alert("e1", AlertStatus.OPEN, T0 + 105 * S, T0 + 105 * S);
        record.setOpenedAt(Instant.EPOCH);
        AlertEvaluation r = new AlertEvaluator(List.of(w), List.of(), AlertEvaluator.Options.of(S))
                .evaluate(AlertLog.of(List.of(record)));
        assertThat(r.delay().medianEvents()).isEqualTo(5.0);
    }

    @Test
    void noAlertsGiveZerosAndUndefinedDelays() throws Exception {
        AnomalyWindow w = window("w", "e1", 100, 119);
        AlertEvaluation r = new AlertEvaluator(List.of(w), labels("e1", 150, w), AlertEvaluator.Options.of(S))
                .evaluate(AlertLog.of(List.of()));
        assertThat(r.windows().recall()).isZero();
        assertThat(r.alerts().precision()).isZero();
        assertThat(r.f1()).isZero();
        assertThat(r.delay().medianMillis()).isNaN();
        assertThat(r.toText()).contains("0/1 detected").contains("delay     n/a");
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.at("/delay/medianMillis").isNull()).isTrue();
        assertThat(json.at("/events/fn").asLong()).isEqualTo(20);
    }

    @Test
    void reportTextAndJsonCarryTheFigures() throws Exception {
        AnomalyWindow w1 = window("w1", "e1", 100, 119);
        AnomalyWindow w2 = window("w2", "e1", 300, 319);
        AlertEvaluation r = new AlertEvaluator(List.of(w1, w2), labels("e1", 400, w1, w2), AlertEvaluator.Options.of(S))
                .evaluate(AlertLog.of(List.of(open("e1", T0 + 102 * S), resolved("e1", T0 + 102 * S, T0 + 125 * S))));
        assertThat(r.toText())
                .contains("1/2 detected (recall 0.500)")
                .contains("alerts 1, 0 false (precision 1.000)")
                .contains("F1 0.667")
                .contains("LEVEL_SHIFT 1/2")
                .contains("median 2.0 events (2000 ms)")
                .contains("0 duplicates");
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.at("/windows/recall").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/windows/byKind/LEVEL_SHIFT/detected").asInt()).isEqualTo(1);
        assertThat(json.at("/alerts/precision").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/delay/medianEvents").asDouble()).isEqualTo(2.0);
        assertThat(json.at("/events/tp").asLong()).isEqualTo(18);
        assertThat(json.at("/events/fp").asLong()).isEqualTo(5);
        assertThat(json.at("/settings/toleranceEvents").asInt()).isEqualTo(16);
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> new AlertEvaluator.Options(0, 16))
                .hasMessageContaining("interval must be at least 1 ms");
        assertThatThrownBy(() -> new AlertEvaluator.Options(1000, -1))
                .hasMessageContaining("tolerance must be 0 or more");
    }
}
