package io.vigil.harness.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A client of a Flink cluster's REST API (a standalone JobManager or a MiniCluster): plain GETs, and
 * the job's metrics summed over subtasks. Metrics come through the JobManager's metric fetcher, which
 * asks the TaskManagers at most once per {@code metrics.fetcher.update-interval} (Flink's default 10 s;
 * deploy/local and the benchmark's MiniClusters set 500 ms), so a value read here is up to that old.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** (job, vertex name part, metric) -> "vertex id|metric id", once found: the listing is not asked again. */
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** GET {@code path} (e.g. {@code /jobs/J}); fails with the status and body unless HTTP 200. */
    public JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + baseUrl + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The sum over subtasks of the first metric whose id {@code metric} accepts, in the first vertex of
     * the job whose name contains {@code vertexName}; -1 while the job, the vertex or the metric is not
     * (yet) reported. Operator metrics have ids like {@code <operator name>.vigil.events_scored_total}, task
     * metrics plain ones like {@code numRecordsIn}.
     */
    public long metricSum(String jobId, String vertexName, Predicate<String> metric, String metricKey) {
        String key = jobId + "|" + vertexName + "|" + metricKey;
        String found = resolved.get(key);
        if (found == null) {
            found = resolve(jobId, vertexName, metric);
            if (found == null) {
                return -1;
            }
            resolved.put(key, found);
        }
        int bar = found.indexOf('|');
        String base = "/jobs/" + jobId + "/vertices/" + found.substring(0, bar) + "/subtasks/metrics";
        JsonNode values =
                get(base + "?get=" + URLEncoder.encode(found.substring(bar + 1), StandardCharsets.UTF_8) + "&agg=sum");
        return values.isEmpty() ? -1 : (long) values.get(0).path("sum").asDouble();
    }

    /** {@link #metricSum(String, String, Predicate, String)} of the metric whose id ends with {@code suffix}. */
    public long metricSum(String jobId, String vertexName, String suffix) {
        return metricSum(jobId, vertexName, id -> id.endsWith(suffix), "*" + suffix);
    }

    private String resolve(String jobId, String vertexName, Predicate<String> metric) {
        JsonNode job;
        try {
            job = get("/jobs/" + jobId);
        } catch (IllegalStateException e) {
            return null; // not known to the JobManager yet
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("name").asText().contains(vertexName)) {
                continue;
            }
            String vertex = v.path("id").asText();
            for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics")) {
                String id = m.path("id").asText();
                if (metric.test(id)) {
                    return vertex + "|" + id;
                }
            }
            return null;
        }
        return null;
    }
}
