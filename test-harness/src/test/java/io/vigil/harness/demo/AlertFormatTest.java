package io.vigil.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.generate.LabeledReading;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import io.vigil.schemas.FiredBy;
import io.vigil.schemas.Severity;
import io.vigil.schemas.StreamKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's alert lines: in time order, and a stuck channel described as one that was expected to move. */
class AlertFormatTest {

    private static final List<String> CHANNELS = List.of("temperature", "power");
    private static final Instant T0 = Instant.parse("2025-01-01T00:01:00Z");

    @Test
    void aStuckChannelReadsAsExpectedToMoveNotAsAPredictionOfTheStuckValue() {
        RecentReadings recent = new RecentReadings(CHANNELS);
        for (int i = 0; i < 20; i++) {
            double power = i < 8 ? 50 + i : 53.8; // moves, then repeats 53.8 from the 9th reading on
            recent.add(new LabeledReading(
                    "sensor-008",
                    T0.plusSeconds(i),
                    new double[] {20 + 0.1 * i, power},
                    i >= 8,
                    i >= 8 ? "stuck-1" : null));
        }
        Alert stuck = alert(
                "sensor-008",
                T0.plusSeconds(19),
                AlertStatus.OPEN,
                channel("power", 53.79, 53.8, 0.97),
                channel("temperature", 21.8, 21.9, 0.03));

        String line = AlertFormat.line(stuck, recent);

        assertThat(line)
                .contains("power 53.80 unchanged for 12 readings (expected it to move, 97%)")
                .doesNotContain("expected 53.79", "expected 53.80");

        Alert moving = alert("sensor-008", T0.plusSeconds(5), AlertStatus.OPEN, channel("power", 46.12, 55.0, 0.99));
        assertThat(AlertFormat.line(moving, recent)).contains("power 55.00 (expected 46.12, 99%)");
    }

    @Test
    void alertsOfOnePollArePrintedInEventTimeOrder() {
        // as one poll returns them: partition by partition, each in its own order
        Alert p0late = alert("sensor-002", T0.plusSeconds(40), AlertStatus.UPDATE, channel("power", 1, 2, 1));
        Alert p0early = alert("sensor-002", T0.plusSeconds(10), AlertStatus.OPEN, channel("power", 1, 2, 1));
        Alert p1 = alert("sensor-005", T0.plusSeconds(20), AlertStatus.OPEN, channel("power", 1, 2, 1));
        Alert p2 = alert("sensor-001", T0.plusSeconds(10), AlertStatus.RESOLVED);

        assertThat(AlertFormat.inTimeOrder(List.of(p0late, p0early, p1, p2))).containsExactly(p2, p0early, p1, p0late);
    }

    @Test
    void aTransactionAlertReadsAsTheJobExplainedItAndNamesItsTransaction() {
        Alert open = Alert.newBuilder(alert("acc-00042", T0, AlertStatus.OPEN))
                .setStreamKind(StreamKind.TRANSACTION)
                .setEventId("t0001234")
                .setExplanation(List.of(
                        "amount 38x the account's median", "9 transactions in 4 minutes", "first at merchant m-7"))
                .build();

        assertThat(AlertFormat.transactionLine(open))
                .contains("OPEN", "acc-00042", "score 0.6000")
                .contains("amount 38x the account's median; 9 transactions in 4 minutes  [t0001234, LSTM, v1]")
                .doesNotContain("first at merchant");
        assertThat(AlertFormat.transactionLine(alert("acc-00042", T0, AlertStatus.RESOLVED)))
                .contains("RESOLVED  acc-00042", "after 4 anomalous event(s)");
    }

    private static ChannelDetail channel(String name, double expected, double actual, double share) {
        return new ChannelDetail(name, expected, actual, share);
    }

    private static Alert alert(String entity, Instant time, AlertStatus status, ChannelDetail... channels) {
        return Alert.newBuilder()
                .setAlertId("a-" + entity + "-" + time.toEpochMilli())
                .setEntityId(entity)
                .setStreamKind(StreamKind.SENSOR)
                .setStatus(status)
                .setEventTime(time)
                .setDetectionTime(time)
                .setOpenedAt(time)
                .setScore(0.6)
                .setPeakScore(0.6)
                .setSeverity(Severity.MEDIUM)
                .setThreshold(0.3)
                .setThresholdKind("fixed")
                .setLstmError(1)
                .setAeError(1)
                .setFiredBy(FiredBy.LSTM)
                .setChannels(List.of(channels))
                .setTopFeatures(List.of())
                .setAnomalousEvents(4)
                .setModelId("m")
                .setModelVersion("v1")
                .setIngestTime(time)
                .build();
    }
}
