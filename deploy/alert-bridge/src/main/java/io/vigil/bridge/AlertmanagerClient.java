package io.vigil.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Alertmanager's v2 API, the two calls the bridge makes: post alerts, read the status. */
public final class AlertmanagerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI alerts;
    private final URI status;
    private final Duration timeout;
    private final String generatorUrl;
    private final HttpClient http;

    public AlertmanagerClient(URI base, Duration timeout, String generatorUrl) {
        this.alerts = URI.create(base + "/api/v2/alerts");
        this.status = URI.create(base + "/api/v2/status");
        this.timeout = timeout;
        this.generatorUrl = generatorUrl;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A failed call, with what went wrong in words; {@code rejected}: Alertmanager refused the alerts themselves (400). */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean rejected;

        Failure(String message, boolean rejected, Throwable cause) {
            super(message, cause);
            this.rejected = rejected;
        }

        public boolean rejected() {
            return rejected;
        }
    }

    /** {@code POST /api/v2/alerts} with the deliveries, as one request. */
    public void post(List<AlertTable.Delivery> deliveries) throws Failure {
        ArrayNode body = JSON.createArrayNode();
        for (AlertTable.Delivery d : deliveries) {
            body.add(json(d));
        }
        HttpRequest request = HttpRequest.newBuilder(alerts)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response = send(request);
        int code = response.statusCode();
        if (code / 100 != 2) {
            throw new Failure(
                    "POST " + alerts + " answered " + code + ": "
                            + response.body().strip(),
                    code == 400,
                    null);
        }
    }

    /** {@code GET /api/v2/status}: Alertmanager's version and cluster status, in one line. */
    public String status() throws Failure {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(status).timeout(timeout).GET().build());
        if (response.statusCode() != 200) {
            throw new Failure(
                    "GET " + status + " answered " + response.statusCode() + ": "
                            + response.body().strip() + " (is this Alertmanager's URL, with its route prefix?)",
                    false,
                    null);
        }
        try {
            JsonNode s = JSON.readTree(response.body());
            return "Alertmanager " + s.path("versionInfo").path("version").asText("?") + ", cluster "
                    + s.path("cluster").path("status").asText("?") + ", up since "
                    + s.path("uptime").asText("?");
        } catch (IOException e) {
            throw new Failure("GET " + status + " did not answer JSON: " + e.getMessage(), false, e);
        }
    }

    public URI alertsUri() {
        return alerts;
    }

    ObjectNode json(AlertTable.Delivery d) {
        ObjectNode a = JSON.createObjectNode();
        a.set("labels", map(d.labels()));
        a.set("annotations", map(d.annotations()));
        a.put("startsAt", d.startsAt().toString());
        a.put("endsAt", d.endsAt().toString());
        if (!generatorUrl.isEmpty()) {
            a.put("generatorURL", generatorUrl);
        }
        return a;
    }

    private static ObjectNode map(Map<String, String> values) {
        ObjectNode o = JSON.createObjectNode();
        values.forEach(o::put);
        return o;
    }

    private HttpResponse<String> send(HttpRequest request) throws Failure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Failure(
                    request.method() + " " + request.uri() + " timed out after " + timeout + " (alertmanager.timeout)",
                    false,
                    e);
        } catch (java.net.ConnectException e) {
            throw new Failure(
                    "cannot connect to " + request.uri().getHost() + ":"
                            + request.uri().getPort() + " (connection refused: is Alertmanager running there?)",
                    false,
                    e);
        } catch (IOException e) {
            throw new Failure(request.method() + " " + request.uri() + " failed: " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(request.method() + " " + request.uri() + " interrupted", false, e);
        }
    }
}
