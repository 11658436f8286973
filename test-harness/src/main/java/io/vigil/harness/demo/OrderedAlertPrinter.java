package io.vigil.harness.demo;

import io.vigil.schemas.Alert;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Prints alerts in event-time order although they arrive by transaction: each parallel subtask of the
 * job commits its own transaction at each checkpoint, so one subtask's alerts can be read before an
 * earlier one of another subtask. Each alert is held for {@code hold} after it is read (longer than the
 * gap between two subtasks' commits of the same checkpoint), then printed with every other alert
 * due, oldest event first, each as {@code format} writes it (a sensor's or a transaction's line).
 */
final class OrderedAlertPrinter {

    private record Held(Alert alert, long readAtNanos) {}

    private final PrintWriter out;
    private final Function<Alert, String> format;
    private final long holdNanos;
    private final LongSupplier nanoClock;
    private final List<Held> held = new ArrayList<>();

    OrderedAlertPrinter(PrintWriter out, Function<Alert, String> format, Duration hold) {
        this(out, format, hold, System::nanoTime);
    }

    OrderedAlertPrinter(PrintWriter out, Function<Alert, String> format, Duration hold, LongSupplier nanoClock) {
        this.out = out;
        this.format = format;
        this.holdNanos = hold.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Takes the alerts just read, and prints those held long enough. */
    synchronized void accept(List<Alert> alerts) {
        long now = nanoClock.getAsLong();
        alerts.forEach(a -> held.add(new Held(a, now)));
        print(now - holdNanos);
    }

    /** Prints everything still held. */
    synchronized void flush() {
        print(Long.MAX_VALUE);
    }

    private void print(long readBefore) {
        List<Alert> due = new ArrayList<>();
        held.removeIf(h -> h.readAtNanos() <= readBefore && due.add(h.alert()));
        if (due.isEmpty()) {
            return;
        }
        synchronized (out) {
            for (Alert a : AlertFormat.inTimeOrder(due)) {
                out.println("    ALERT " + format.apply(a));
            }
            out.flush();
        }
    }
}
