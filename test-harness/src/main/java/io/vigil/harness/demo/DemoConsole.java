package io.vigil.harness.demo;

import java.io.PrintWriter;
import java.util.Locale;

/** What a demo prints between its alerts: numbered steps, and indented notes with the seconds since it began. */
final class DemoConsole {

    private final PrintWriter out;
    private final long started = System.nanoTime();
    private int step;

    DemoConsole(PrintWriter out) {
        this.out = out;
    }

    PrintWriter out() {
        return out;
    }

    void step(String format, Object... args) {
        out.printf(Locale.ROOT, "%n[%d] %s%n", ++step, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    void say(String format, Object... args) {
        out.printf(Locale.ROOT, "    %s (%.0f s)%n", String.format(Locale.ROOT, format, args), seconds());
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
