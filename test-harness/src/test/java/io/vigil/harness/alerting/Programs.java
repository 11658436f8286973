package io.vigil.harness.alerting;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Optional programs of the machine (Debian's prometheus, prometheus-alertmanager, promtool). */
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

    /** The program, or the test is skipped with "skipped: {@code name} not installed". */
    public static Path require(String name) {
        Optional<Path> p = find(name);
        Assumptions.assumeTrue(p.isPresent(), "skipped: " + name + " not installed");
        return p.get();
    }
}
