package io.vigil.harness.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.AnomalyWindow;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.SensorStreamGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a generated stream really contained, as a JSON file: the generator config (enough to
 * regenerate the stream exactly), the per-entity event counts, and the anomaly windows with
 * inclusive ISO-8601 start and end times.
 */
public record GroundTruth(GeneratorConfig generator, Map<String, Long> eventsPerEntity, List<AnomalyWindow> windows) {

    /** Identifies the file layout; bumped when a field changes meaning. */
    public static final String FORMAT = "vigil-ground-truth/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    public GroundTruth {
        Objects.requireNonNull(generator, "generator config is required");
        eventsPerEntity = Map.copyOf(eventsPerEntity);
        windows = List.copyOf(windows);
    }

    /** The ground truth of a generator's stream. */
    public static GroundTruth of(SensorStreamGenerator generator) {
        return new GroundTruth(generator.config(), generator.eventsPerEntity(), generator.groundTruth());
    }

    public long intervalMillis() {
        return generator.intervalMillis();
    }

    public long totalEvents() {
        return eventsPerEntity.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Writes the JSON file (replacing it). */
    public void write(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(path.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write ground truth to " + path, e);
        }
    }

    /** Reads a file written by {@link #write}; fails with the field at fault when it is not one. */
    public static GroundTruth read(Path path) {
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read ground truth from " + path, e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException(path + " is not a " + FORMAT + " file: " + e.getMessage(), e);
        }
    }

    /** The JSON tree of this ground truth. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("generator", configJson(generator));
        root.put("start", generator.start().toString());
        root.put("end", generator.end().toString());
        root.put("intervalMillis", generator.intervalMillis());
        ObjectNode counts = root.putObject("eventsPerEntity");
        new TreeMap<>(eventsPerEntity).forEach(counts::put);
        ArrayNode ws = root.putArray("windows");
        for (AnomalyWindow w : windows) {
            ObjectNode n = ws.addObject();
            n.put("id", w.id());
            n.put("entityId", w.entityId());
            n.put("kind", w.kind().name());
            n.put("start", w.startTime().toString());
            n.put("end", w.endTime().toString());
            n.put(
                    "events",
                    (w.endTime().toEpochMilli() - w.startTime().toEpochMilli()) / generator.intervalMillis() + 1);
            ArrayNode channels = n.putArray("channels");
            w.channels().forEach(channels::add);
            n.put("detail", w.detail());
        }
        return root;
    }

    static GroundTruth fromJson(JsonNode root) {
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "', expected '" + FORMAT + "'");
        }
        GeneratorConfig config = configFromJson(required(root, "generator"));
        Map<String, Long> counts = new LinkedHashMap<>();
        required(root, "eventsPerEntity")
                .properties()
                .forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        List<AnomalyWindow> windows = new ArrayList<>();
        for (JsonNode n : required(root, "windows")) {
            List<String> channels = new ArrayList<>();
            required(n, "channels").forEach(c -> channels.add(c.asText()));
            windows.add(new AnomalyWindow(
                    text(n, "id"),
                    text(n, "entityId"),
                    AnomalyKind.valueOf(text(n, "kind")),
                    Instant.parse(text(n, "start")),
                    Instant.parse(text(n, "end")),
                    channels,
                    n.has("detail") ? n.get("detail").asText() : ""));
        }
        return new GroundTruth(config, counts, windows);
    }

    private static ObjectNode configJson(GeneratorConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("entities", c.entities());
        n.put("entityPrefix", c.entityPrefix());
        ArrayNode channels = n.putArray("channels");
        c.channels().forEach(channels::add);
        n.put("eventsPerEntity", c.eventsPerEntity());
        n.put("intervalMillis", c.intervalMillis());
        n.put("start", c.start().toString());
        n.put("seed", c.seed());
        n.put("profileSeed", c.profileSeed());
        n.put("anomaliesPerEntity", c.anomaliesPerEntity());
        ArrayNode kinds = n.putArray("kinds");
        c.kinds().forEach(k -> kinds.add(k.name()));
        n.put("warmupEvents", c.warmupEvents());
        n.put("minGapEvents", c.minGapEvents());
        return n;
    }

    private static GeneratorConfig configFromJson(JsonNode n) {
        List<String> channels = new ArrayList<>();
        required(n, "channels").forEach(c -> channels.add(c.asText()));
        Set<AnomalyKind> kinds = EnumSet.noneOf(AnomalyKind.class);
        required(n, "kinds").forEach(k -> kinds.add(AnomalyKind.valueOf(k.asText())));
        return new GeneratorConfig(
                required(n, "entities").asInt(),
                text(n, "entityPrefix"),
                channels,
                required(n, "eventsPerEntity").asInt(),
                required(n, "intervalMillis").asLong(),
                Instant.parse(text(n, "start")),
                required(n, "seed").asLong(),
                required(n, "profileSeed").asLong(),
                required(n, "anomaliesPerEntity").asInt(),
                kinds,
                required(n, "warmupEvents").asInt(),
                required(n, "minGapEvents").asInt());
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        return required(n, field).asText();
    }
}
