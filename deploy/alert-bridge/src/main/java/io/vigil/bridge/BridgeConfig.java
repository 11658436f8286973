package io.vigil.bridge;

import io.vigil.kafka.KafkaAccess;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The bridge's configuration: one {@code .properties} file, every key declared once in {@link #KEYS}
 * with its default and meaning. Unknown keys are refused (listing the known ones), so a typo does not
 * silently fall back to a default.
 *
 * <pre>{@code
 * BridgeConfig config = BridgeConfig.load(Path.of("alert-bridge.properties"));
 * }</pre>
 */
public record BridgeConfig(
        String bootstrapServers,
        String topic,
        String groupId,
        Map<String, String> kafkaProperties,
        URI alertmanagerUrl,
        Duration resendInterval,
        Duration minFiring,
        Duration requestTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        String alertName,
        String runbookUrl,
        String generatorUrl,
        Map<String, String> staticLabels,
        InetSocketAddress metricsAddress) {

    /** One configuration key: its default ({@code null}: required, {@code ""}: off) and what it does. */
    public record Key(String name, String defaultValue, String description) {}

    public static final String KAFKA_PROPERTIES = "kafka.properties.";
    public static final String CLIENT_PROPERTIES_FILE = "kafka.client-properties-file";
    public static final String STATIC_LABELS = "alert.labels.";

    /** Every key, in the order the example file and {@code --help} list them. */
    public static final List<Key> KEYS = List.of(
            new Key("kafka.bootstrap-servers", null, "Kafka bootstrap servers of the alert topic"),
            new Key("kafka.topic", "vigil-alerts", "the alert topic the Vigil job writes (read with read_committed)"),
            new Key(
                    "kafka.group-id",
                    "vigil-alert-bridge",
                    "consumer group whose committed offsets record what Alertmanager has been sent"),
            new Key(CLIENT_PROPERTIES_FILE, "", KafkaAccess.FILE_OPTION_DESCRIPTION),
            new Key(
                    KAFKA_PROPERTIES + "<name>",
                    "",
                    "passed to the Kafka consumer over the file's, e.g. kafka.properties.client.rack"),
            new Key("alertmanager.url", null, "Alertmanager's base URL; alerts go to <url>/api/v2/alerts"),
            new Key(
                    "alertmanager.resend-interval",
                    "1m",
                    "how often every open alert is sent again; each is sent valid for 4 intervals, so Alertmanager"
                            + " resolves it by itself only if the bridge is gone that long"),
            new Key(
                    "alertmanager.min-firing",
                    "45s",
                    "a resolve is sent no sooner than this after the alert was first sent firing, so Alertmanager"
                            + " notifies even alerts that end within its group_wait (keep it above your route's group_wait)"),
            new Key("alertmanager.timeout", "10s", "timeout of one request to Alertmanager"),
            new Key(
                    "alertmanager.retry.initial-backoff",
                    "1s",
                    "first wait after a failed request; doubles per failure"),
            new Key("alertmanager.retry.max-backoff", "30s", "longest wait between retries while Alertmanager fails"),
            new Key("alert.name", "VigilAnomaly", "the alertname label of every alert"),
            new Key(
                    "alert.runbook-url",
                    "docs/runbook.md#vigilanomaly",
                    "the runbook_url annotation: where your team keeps Vigil's runbook"),
            new Key(
                    "alert.generator-url",
                    "",
                    "the generatorURL of every alert (e.g. the Flink web UI); off when empty"),
            new Key(STATIC_LABELS + "<name>", "", "a label added to every alert, e.g. alert.labels.team=sre"),
            new Key(
                    "metrics.listen",
                    "127.0.0.1:9096",
                    "host:port of the bridge's Prometheus endpoint (/metrics); off when empty"));

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Reads and validates a properties file; every problem is reported at once, with the file named. */
    public static BridgeConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("The bridge's configuration " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the bridge's configuration " + file + ": " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        try {
            return of(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("In " + file + ":\n  - " + e.getMessage(), e);
        }
    }

    /** Builds the configuration from key/value pairs; unknown keys and bad values fail with all problems listed. */
    public static BridgeConfig of(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(KAFKA_PROPERTIES) && k.length() > KAFKA_PROPERTIES.length()) {
                kafka.put(k.substring(KAFKA_PROPERTIES.length()), e.getValue());
            } else if (k.startsWith(STATIC_LABELS) && k.length() > STATIC_LABELS.length()) {
                String label = k.substring(STATIC_LABELS.length());
                if (!LABEL_NAME.matcher(label).matches()) {
                    problems.add(k + ": '" + label + "' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
                }
                labels.put(label, e.getValue());
            } else if (KEYS.stream().noneMatch(key -> key.name().equals(k))) {
                problems.add("unknown key '" + k + "' (--help lists the keys)");
            }
        }
        Values v = new Values(values, problems);
        String bootstrap = v.required("kafka.bootstrap-servers");
        String clientFile = v.get(CLIENT_PROPERTIES_FILE);
        if (!clientFile.isEmpty()) {
            try {
                Map<String, String> inline = new LinkedHashMap<>(kafka);
                kafka.clear();
                kafka.putAll(KafkaAccess.load(Path.of(clientFile)));
                kafka.putAll(inline);
            } catch (IllegalArgumentException e) {
                problems.add(CLIENT_PROPERTIES_FILE + ": " + e.getMessage());
            }
        }
        URI url = v.url("alertmanager.url");
        Duration resend = v.duration("alertmanager.resend-interval");
        Duration minFiring = v.duration("alertmanager.min-firing");
        Duration timeout = v.duration("alertmanager.timeout");
        Duration initial = v.duration("alertmanager.retry.initial-backoff");
        Duration max = v.duration("alertmanager.retry.max-backoff");
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            problems.add("alertmanager.retry.max-backoff (" + max
                    + ") is shorter than alertmanager.retry.initial-backoff (" + initial + ")");
        }
        String alertName = v.get("alert.name");
        if (alertName.isEmpty()) {
            problems.add("alert.name is empty: Alertmanager needs an alertname");
        }
        InetSocketAddress metrics = v.address("metrics.listen");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n  - ", problems));
        }
        return new BridgeConfig(
                bootstrap,
                v.get("kafka.topic"),
                v.get("kafka.group-id"),
                Map.copyOf(kafka),
                url,
                resend,
                minFiring,
                timeout,
                initial,
                max,
                alertName,
                v.get("alert.runbook-url"),
                v.get("alert.generator-url"),
                Map.copyOf(labels),
                metrics);
    }

    /** Every key, its default and what it does: one key a line, its description indented below. */
    public static String describe() {
        StringBuilder b = new StringBuilder();
        for (Key k : KEYS) {
            b.append(String.format(
                    "  %s (%s)%n      %s%n",
                    k.name(),
                    k.defaultValue() == null
                            ? "required"
                            : k.defaultValue().isEmpty() ? "off when empty" : "default " + k.defaultValue(),
                    k.description()));
        }
        return b.toString();
    }

    /** Reads values with their defaults, collecting problems instead of failing at the first. */
    private record Values(Map<String, String> values, List<String> problems) {

        String get(String key) {
            String v = values.get(key);
            if (v != null) {
                return v;
            }
            String d = KEYS.stream()
                    .filter(k -> k.name().equals(key))
                    .findFirst()
                    .orElseThrow()
                    .defaultValue();
            return d == null ? "" : d;
        }

        String required(String key) {
            String v = get(key);
            if (v.isEmpty()) {
                problems.add(key + " is required");
            }
            return v;
        }

        URI url(String key) {
            String v = required(key);
            if (v.isEmpty()) {
                return null;
            }
            try {
                URI uri = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(key + ": '" + v + "' is not an http(s) URL with a host, e.g. http://127.0.0.1:9093");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problems.add(key + ": '" + v + "' is not a URL (" + e.getMessage() + ")");
                return null;
            }
        }

        Duration duration(String key) {
            String v = get(key);
            try {
                Duration d = parseDuration(v);
                if (d.isNegative() || d.isZero()) {
                    problems.add(key + " must be positive, got '" + v + "'");
                }
                return d;
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
                return null;
            }
        }

        InetSocketAddress address(String key) {
            String v = get(key);
            if (v.isEmpty()) {
                return null;
            }
            int colon = v.lastIndexOf(':');
            try {
                int port = Integer.parseInt(v.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return InetSocketAddress.createUnresolved(v.substring(0, colon), port);
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                problems.add(key + ": '" + v + "' is not host:port, e.g. 127.0.0.1:9096 (empty turns it off)");
                return null;
            }
        }
    }

    /** {@code 250ms}, {@code 45s}, {@code 5m}, {@code 1h}, or an ISO-8601 duration ({@code PT45S}). */
    static Duration parseDuration(String v) {
        var m = Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(v.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + v + "' is not a duration such as 250ms, 45s, 5m, 1h");
        }
    }
}
