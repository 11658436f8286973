package io.vigil.harness.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's Alertmanager, started by a test: on 127.0.0.1 and a port of its own, clustering off, its
 * configuration, data (silences, notification log) and log in a directory of the test's. One route:
 * every alert its own group ({@code group_by: ['...']}), notified after 1 s, resolves notified too,
 * repeated only after an hour; so a second notification of an alert is a duplicate, never a repeat.
 */
public final class AlertmanagerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    public AlertmanagerProcess(Path binary, Path dir, String webhookUrl) throws IOException {
        this.binary = binary;
        this.dir = dir;
        this.port = freePort();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: test-webhook
                  group_by: ['...']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test-webhook
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhookUrl));
    }

    /** Starts it and waits until it is ready (GET /-/ready). */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + dir.resolve("alertmanager.yml"),
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("alertmanager.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited at start (" + process.exitValue() + "); see "
                        + dir.resolve("alertmanager.log"));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Alertmanager not ready in 30 s; see " + dir.resolve("alertmanager.log"));
    }

    /** SIGTERM, as an init system stops it: it writes its notification log and silences, then exits. */
    public void stop() throws InterruptedException {
        Programs.stop(process);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** GET /api/v2/alerts: the alerts it holds as active (firing, not silenced); resolved ones are not listed. */
    public List<JsonNode> activeAlerts() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v2/alerts?active=true&silenced=false&inhibited=false");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v2/alerts answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
