package io.vigil.harness.alerting;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Optional programs of the machine (Debian's prometheus, prometheus-alertmanager, promtool), and stopping them. */
public final class Programs {

    private Programs() {}

    /** The executable {@code name} on the PATH (Debian's packages put theirs in /usr/bin). */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /**
     * The program, or the test is skipped (a JUnit assumption) with "skipped: {@code name} not
     * installed", which is also printed, so the build's log says it.
     */
    public static Path require(String name) {
        Optional<Path> p = find(name);
        if (p.isEmpty()) {
            System.err.println("skipped: " + name + " not installed");
        }
        Assumptions.assumeTrue(p.isPresent(), "skipped: " + name + " not installed");
        return p.get();
    }

    /** SIGTERM, as an init system stops a server, then SIGKILL if it is still there after 30 s. */
    public static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Whether every one of {@code names} is installed. */
    public static boolean installed(String... names) {
        for (String name : names) {
            if (find(name).isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
