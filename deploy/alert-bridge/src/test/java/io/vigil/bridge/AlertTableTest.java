package io.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import io.vigil.schemas.FiredBy;
import io.vigil.schemas.Severity;
import io.vigil.schemas.StreamKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTableTest {

    private static final Duration MIN_FIRING = Duration.ofSeconds(45);
    private static final Duration FIRING_FOR = Duration.ofMinutes(4);
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final AlertMapping MAPPING =
            new AlertMapping("VigilAnomaly", "https://runbook/#vigil", Map.of("team", "sre"));

    /** Records as the topic holds them, in partition 0 at offsets 0, 1, 2, ... */
    private final List<Alert> topic = new ArrayList<>();

    private AlertTable table = new AlertTable(MAPPING, MIN_FIRING);

    @Test
    void anOpenedAlertFiresWithItsLabelsAndAnnotationsAndIsResentWhileOpen() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.MEDIUM, 0));

        List<AlertTable.Delivery> first = table.due(T0, false, FIRING_FOR);
        assertThat(first).hasSize(1);
        AlertTable.Delivery d = first.get(0);
        assertThat(d.firing()).isTrue();
        assertThat(d.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "alertname",
                        "VigilAnomaly",
                        "alert_id",
                        "a1",
                        "entity",
                        "pump-1",
                        "stream",
                        "sensor",
                        "severity",
                        "medium",
                        "model",
                        "pumps",
                        "model_version",
                        "v1",
                        "team",
                        "sre"));
        assertThat(d.annotations())
                .containsEntry("score", "0.6000")
                .containsEntry("threshold", "0.3000")
                .containsEntry("runbook_url", "https://runbook/#vigil")
                .containsEntry("fired_by", "LSTM");
        assertThat(d.annotations().get("summary"))
                .isEqualTo(
                        "sensor pump-1 anomalous: power 53.41 (expected 41.43, 86% of the error) (score 0.600 over threshold 0.300)");
        assertThat(d.annotations().get("description"))
                .startsWith(
                        "power 53.41 (expected 41.43, 86% of the error); temperature 29.80 (expected 29.70, 14% of the error).");
        assertThat(d.startsAt()).isEqualTo(T0);
        assertThat(d.endsAt()).isEqualTo(T0.plus(FIRING_FOR));

        table.delivered(first, T0);
        assertThat(table.due(T0.plusSeconds(1), false, FIRING_FOR)).isEmpty();
        assertThat(table.due(T0.plusSeconds(60), true, FIRING_FOR))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.endsAt()).isEqualTo(T0.plusSeconds(60).plus(FIRING_FOR)));
    }

    @Test
    void aResolveWaitsUntilItsAlertHasFiredForMinFiringThenGoesOnceAndTheAlertNeverFiresAgain() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0));
        deliver(T0);
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 5));

        assertThat(table.due(T0.plusSeconds(44), false, FIRING_FOR)).isEmpty();
        List<AlertTable.Delivery> resolve = table.due(T0.plusSeconds(45), false, FIRING_FOR);
        assertThat(resolve).singleElement().satisfies(d -> {
            assertThat(d.firing()).isFalse();
            assertThat(d.endsAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(d.labels()).containsEntry("alert_id", "a1");
        });
        table.delivered(resolve, T0.plusSeconds(45));
        assertThat(table.due(T0.plusSeconds(300), true, FIRING_FOR)).isEmpty();

        // a replay writes the alert's records again: nothing fires
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0));
        append(alert("a1", "pump-1", AlertStatus.UPDATE, Severity.HIGH, 2));
        assertThat(table.due(T0.plusSeconds(400), true, FIRING_FOR)).isEmpty();
        assertThat(table.firing()).isZero();
    }

    @Test
    void anAlertResolvedBeforeItWasEverDeliveredIsSentFiringFirstAndResolvedMinFiringLater() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0));
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 3)); // Alertmanager was down meanwhile

        List<AlertTable.Delivery> firing = table.due(T0.plusSeconds(30), false, FIRING_FOR);
        assertThat(firing).singleElement().satisfies(d -> assertThat(d.firing()).isTrue());
        table.delivered(firing, T0.plusSeconds(30));
        assertThat(table.due(T0.plusSeconds(74), false, FIRING_FOR)).isEmpty();
        assertThat(table.due(T0.plusSeconds(75), false, FIRING_FOR))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.firing()).isFalse();
                    assertThat(d.endsAt()).isEqualTo(T0.plusSeconds(3));
                });
    }

    @Test
    void anEscalationResolvesTheLowerSeverityAndFiresTheHigherKeepingTheOtherLabels() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0));
        deliver(T0);
        append(alert("a1", "pump-1", AlertStatus.UPDATE, Severity.CRITICAL, 4, "v2")); // written under a newer model

        List<AlertTable.Delivery> due = table.due(T0.plusSeconds(5), false, FIRING_FOR);
        assertThat(due).hasSize(2);
        assertThat(due).filteredOn(d -> !d.firing()).singleElement().satisfies(d -> {
            assertThat(d.labels()).containsEntry("severity", "low");
            assertThat(d.endsAt()).isEqualTo(T0.plusSeconds(4));
        });
        assertThat(due).filteredOn(AlertTable.Delivery::firing).singleElement().satisfies(d -> {
            assertThat(d.labels()).containsEntry("severity", "critical").containsEntry("model_version", "v1");
            assertThat(d.startsAt()).isEqualTo(T0.plusSeconds(4));
        });
        table.delivered(due, T0.plusSeconds(5));
        // resolved under the newer model, at the severity an expiry writes: the critical instance resolves
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 10, "v2"));
        assertThat(table.due(T0.plusSeconds(50), false, FIRING_FOR))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.firing()).isFalse();
                    assertThat(d.labels()).containsEntry("severity", "critical").containsEntry("model_version", "v1");
                });
    }

    @Test
    void theCommitStopsAtTheFirstUndeliveredRecordAndListsHeldResolvesBeforeIt() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0)); // offset 0
        append(alert("a2", "pump-2", AlertStatus.OPEN, Severity.LOW, 1)); // offset 1
        deliver(T0);
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 10)); // offset 2: held
        append(alert("a3", "pump-3", AlertStatus.OPEN, Severity.LOW, 11)); // offset 3
        List<AlertTable.Delivery> due = table.due(T0.plusSeconds(12), false, FIRING_FOR);
        assertThat(due).extracting(d -> d.labels().get("alert_id")).containsExactly("a3");
        table.delivered(due, T0.plusSeconds(12));
        append(alert("a4", "pump-4", AlertStatus.OPEN, Severity.LOW, 13)); // offset 4: not delivered

        AlertTable.Commit commit = table.commits(Map.of(0, 5L)).get(0);
        assertThat(commit.offset()).isEqualTo(4);
        assertThat(AlertTable.held(commit.metadata())).containsExactly(2L);
        assertThat(AlertTable.delivered(1, commit)).isTrue();
        assertThat(AlertTable.delivered(2, commit)).isFalse();
        assertThat(AlertTable.delivered(3, commit)).isTrue();
        assertThat(AlertTable.delivered(4, commit)).isFalse();
        assertThat(AlertTable.delivered(0, null))
                .as("a group that never committed")
                .isFalse();
    }

    @Test
    void aRestartedBridgeSendsWhatWasMissingAndNothingThatWouldNotifyTwice() {
        append(alert("a2", "pump-2", AlertStatus.OPEN, Severity.LOW, 1)); // 0: delivered
        append(alert("a5", "pump-5", AlertStatus.OPEN, Severity.LOW, 2)); // 1: delivered, resolved below
        deliver(T0);
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 20)); // 2: delivered at 20 s
        deliver(T0.plusSeconds(20));
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 30)); // 3: held (to 65 s) when the bridge dies
        append(alert("a5", "pump-5", AlertStatus.RESOLVED, Severity.LOW, 31)); // 4
        List<AlertTable.Delivery> a5 = table.due(T0.plusSeconds(46), false, FIRING_FOR);
        assertThat(a5).extracting(d -> d.labels().get("alert_id")).containsExactly("a5");
        table.delivered(a5, T0.plusSeconds(46));
        append(alert("a3", "pump-3", AlertStatus.OPEN, Severity.LOW, 50)); // 5: never delivered
        append(alert("a3", "pump-3", AlertStatus.RESOLVED, Severity.LOW, 52)); // 6: never delivered
        AlertTable.Commit commit = table.commits(Map.of(0, 7L)).get(0);

        // the bridge is killed; a new one reads the whole topic with the committed offset and metadata
        table = new AlertTable(MAPPING, MIN_FIRING);
        for (int offset = 0; offset < topic.size(); offset++) {
            table.apply(topic.get(offset), 0, offset, AlertTable.delivered(offset, commit), T0.plusSeconds(60));
        }
        Instant now = T0.plusSeconds(60);
        List<AlertTable.Delivery> due = table.due(now, true, FIRING_FOR);
        Map<String, String> sent = new HashMap<>();
        due.forEach(
                d -> sent.merge(d.labels().get("alert_id"), d.firing() ? "firing" : "resolved", (x, y) -> x + "+" + y));
        assertThat(sent)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "a1", "resolved", // its firing was delivered: the held resolve goes, no firing again
                        "a2", "firing", // open: sent again, the same alert to Alertmanager
                        "a3", "firing")); // never delivered: firing first, its resolve min-firing later
        assertThat(sent).doesNotContainKey("a5"); // resolved and delivered: nothing
        table.delivered(due, now);
        assertThat(table.due(now.plus(MIN_FIRING), false, FIRING_FOR))
                .singleElement()
                .satisfies(d -> assertThat(d.labels()).containsEntry("alert_id", "a3"))
                .satisfies(d -> assertThat(d.firing()).isFalse());
    }

    @Test
    void aResolveOfAnAlertOpenedBeforeTheTopicsRetentionIsSentAtOnce() {
        append(alert("old", "pump-9", AlertStatus.RESOLVED, Severity.HIGH, 3));
        assertThat(table.due(T0, false, FIRING_FOR)).singleElement().satisfies(d -> {
            assertThat(d.firing()).isFalse();
            assertThat(d.labels()).containsEntry("severity", "high");
        });
    }

    @Test
    void heldResolvesBeyondTheLimitOfAPartitionAreSentAtOnceOldestFirst() {
        int n = AlertTable.MAX_HELD_PER_PARTITION + 3;
        for (int i = 0; i < n; i++) {
            append(alert("a" + i, "e" + i, AlertStatus.OPEN, Severity.LOW, 0));
        }
        deliver(T0);
        for (int i = 0; i < n; i++) {
            append(alert("a" + i, "e" + i, AlertStatus.RESOLVED, Severity.LOW, 1));
        }
        table.limitHeld(T0.plusSeconds(2));
        assertThat(table.due(T0.plusSeconds(2), false, FIRING_FOR))
                .extracting(d -> d.labels().get("alert_id"))
                .containsExactly("a0", "a1", "a2");
    }

    @Test
    void theOldestUndeliveredChangeCountsFromWhenItBecameDue() {
        append(alert("a1", "pump-1", AlertStatus.OPEN, Severity.LOW, 0), T0);
        assertThat(table.oldestUndeliveredSeconds(T0.plusSeconds(30))).isEqualTo(30);
        deliver(T0.plusSeconds(30));
        assertThat(table.oldestUndeliveredSeconds(T0.plusSeconds(31))).isZero();
        append(alert("a1", "pump-1", AlertStatus.RESOLVED, Severity.LOW, 31), T0.plusSeconds(31));
        assertThat(table.oldestUndeliveredSeconds(T0.plusSeconds(60)))
                .as("held, not behind")
                .isZero();
        assertThat(table.oldestUndeliveredSeconds(T0.plusSeconds(85))).isEqualTo(10);
        assertThat(table.pending()).isEqualTo(1);
    }

    private void append(Alert a) {
        append(a, T0);
    }

    private void append(Alert a, Instant now) {
        table.apply(a, 0, topic.size(), false, now);
        topic.add(a);
    }

    private void deliver(Instant now) {
        table.delivered(table.due(now, false, FIRING_FOR), now);
    }

    private static Alert alert(String id, String entity, AlertStatus status, Severity severity, int second) {
        return alert(id, entity, status, severity, second, "v1");
    }

    private static Alert alert(
            String id, String entity, AlertStatus status, Severity severity, int second, String version) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setEntityId(entity)
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(status)
                .setEventTime(T0.plusSeconds(second))
                .setDetectionTime(T0.plusSeconds(second))
                .setOpenedAt(T0.minusSeconds(3))
                .setScore(0.6)
                .setPeakScore(0.7)
                .setSeverity(severity)
                .setThreshold(0.3)
                .setThresholdKind("fixed")
                .setLstmError(1.5)
                .setAeError(0.2)
                .setFiredBy(FiredBy.LSTM)
                .setChannels(List.of(
                        new ChannelDetail("power", 41.43, 53.41, 0.86),
                        new ChannelDetail("temperature", 29.7, 29.8, 0.14)))
                .setTopFeatures(List.of("power"))
                .setAnomalousEvents(4)
                .setModelId("pumps")
                .setModelVersion(version)
                .build();
    }
}
