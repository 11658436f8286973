package io.vigil.harness.alerting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Alertmanager bridge as it is deployed: its launcher ({@code deploy/alert-bridge/bin/vigil-alert-bridge})
 * with one configuration file, a process of its own, so a test can kill it.
 */
public final class BridgeProcess implements AutoCloseable {

    private final Path launcher;
    private final Path config;
    private final Path log;
    private Process process;

    public BridgeProcess(Path repository, Path config, Path log) {
        this.launcher = repository.resolve("deploy/alert-bridge/bin/vigil-alert-bridge");
        this.config = config;
        this.log = log;
    }

    public void start() throws IOException {
        process = new ProcessBuilder(launcher.toString(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL: no shutdown hook, nothing flushed or committed. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGTERM, then waits for it to finish sending and committing. */
    public void stop() throws InterruptedException {
        Programs.stop(process);
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
