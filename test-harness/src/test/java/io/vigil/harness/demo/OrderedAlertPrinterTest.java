package io.vigil.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.evaluate.TestAlerts;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OrderedAlertPrinterTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong now = new AtomicLong();
    private final OrderedAlertPrinter printer = new OrderedAlertPrinter(
            new PrintWriter(text),
            a -> AlertFormat.line(a, new RecentReadings(List.of("temperature"))),
            Duration.ofSeconds(3),
            now::get);

    @Test
    void anEarlierAlertReadAfterALaterOneIsStillPrintedFirst() {
        // subtask 2's transaction (an alert at 00:00:20) is read before subtask 1's (at 00:00:10)
        printer.accept(List.of(TestAlerts.alert("sensor-2", AlertStatus.OPEN, Severity.LOW, 20_000, 20_000)));
        now.set(Duration.ofMillis(500).toNanos());
        printer.accept(List.of(TestAlerts.alert("sensor-1", AlertStatus.OPEN, Severity.LOW, 10_000, 10_000)));
        assertThat(text.toString()).as("nothing printed within the hold").isEmpty();

        now.set(Duration.ofMillis(3600).toNanos());
        printer.accept(List.of());

        assertThat(text.toString().lines().toList())
                .hasSize(2)
                .satisfies(
                        lines -> assertThat(lines.get(0)).contains("00:00:10").contains("sensor-1"))
                .satisfies(
                        lines -> assertThat(lines.get(1)).contains("00:00:20").contains("sensor-2"));
    }

    @Test
    void onlyAlertsHeldLongEnoughArePrintedAndFlushPrintsTheRest() {
        printer.accept(List.of(TestAlerts.alert("sensor-1", AlertStatus.OPEN, Severity.LOW, 10_000, 10_000)));
        now.set(Duration.ofSeconds(2).toNanos());
        printer.accept(List.of(TestAlerts.alert("sensor-3", AlertStatus.OPEN, Severity.LOW, 30_000, 30_000)));
        now.set(Duration.ofSeconds(3).toNanos());
        printer.accept(List.of());
        assertThat(text.toString().lines().toList()).hasSize(1).allMatch(l -> l.contains("sensor-1"));

        printer.flush();
        assertThat(text.toString().lines().toList())
                .hasSize(2)
                .last()
                .asString()
                .contains("sensor-3");
    }
}
