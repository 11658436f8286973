package io.vigil.harness.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An Alertmanager webhook receiver: an HTTP server on 127.0.0.1 that keeps every alert of every
 * notification it is sent, in arrival order.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One alert of one notification: its status (firing, resolved) and labels. */
    public record Notified(String status, JsonNode labels, JsonNode annotations) {
        public String label(String name) {
            return labels.path(name).asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<Notified> received = new ArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(in);
                synchronized (received) {
                    for (JsonNode a : body.path("alerts")) {
                        received.add(new Notified(a.path("status").asText(), a.path("labels"), a.path("annotations")));
                    }
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every alert notified so far whose labels match. */
    public List<Notified> received(Predicate<Notified> filter) {
        synchronized (received) {
            return received.stream().filter(filter).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
