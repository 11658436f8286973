package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadPriorityTest {

    private static final Path PROC = Path.of("/proc");

    @Test
    void raisesTheCallingThreadAndAnotherProcessesThreadsAndPutsThemBackWhenClosed() throws Exception {
        assumeTrue(Files.isDirectory(PROC.resolve("thread-self")), "skipped: no /proc (not Linux)");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Path self = PROC.resolve(Files.readSymbolicLink(PROC.resolve("thread-self")));
            Path other =
                    PROC.resolve(Long.toString(sleeper.pid())).resolve("task").resolve(Long.toString(sleeper.pid()));
            int selfBefore = LoadPriority.nice(self);
            int otherBefore = LoadPriority.nice(other);
            assertThat(selfBefore).isNotEqualTo(LoadPriority.NICE);

            try (LoadPriority load = LoadPriority.raise(List.of(sleeper.pid()), List.of())) {
                if (load.describe().startsWith("equal to the job's")) {
                    // not root and no CAP_SYS_NICE: nothing changed, and the report says why
                    assertThat(load.describe()).contains("raising it failed: ");
                    assertThat(LoadPriority.nice(self)).isEqualTo(selfBefore);
                    assertThat(LoadPriority.nice(other)).isEqualTo(otherBefore);
                    return;
                }
                assertThat(load.describe()).isEqualTo("nice -5 for 2 threads of the load generator and the broker");
                assertThat(LoadPriority.nice(self)).isEqualTo(LoadPriority.NICE);
                assertThat(LoadPriority.nice(other)).isEqualTo(LoadPriority.NICE);
            }
            assertThat(LoadPriority.nice(self)).isEqualTo(selfBefore);
            assertThat(LoadPriority.nice(other)).isEqualTo(otherBefore);
        } finally {
            sleeper.destroy();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
