package io.vigil.harness.generate;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What the sensor stream generator produces: how many entities and channels, how many events at what
 * spacing from when, which anomalies, and the two seeds.
 *
 * <p>{@code profileSeed} fixes each entity's normal behaviour (levels, scales, seasonal periods,
 * factor loadings); {@code seed} fixes the noise and where anomalies go. History for training and a
 * live stream for evaluation share the profile seed and differ in the seed and the time range, so a
 * model trained on one has learned the normal behaviour of the other.
 *
 * <pre>{@code
 * GeneratorConfig live = GeneratorConfig.builder().entities(8).eventsPerEntity(3000).seed(7).build();
 * GeneratorConfig history = live.forHistory(1007, live.start().minus(Duration.ofDays(2)), 20_000);
 * }</pre>
 */
public record GeneratorConfig(
        int entities,
        String entityPrefix,
        List<String> channels,
        int eventsPerEntity,
        long intervalMillis,
        Instant start,
        long seed,
        long profileSeed,
        int anomaliesPerEntity,
        Set<AnomalyKind> kinds,
        int warmupEvents,
        int minGapEvents) {

    public static final List<String> DEFAULT_CHANNELS = List.of("temperature", "pressure", "vibration", "power");
    public static final int DEFAULT_ENTITIES = 4;
    public static final String DEFAULT_ENTITY_PREFIX = "sensor-";
    public static final int DEFAULT_EVENTS_PER_ENTITY = 2_000;
    public static final long DEFAULT_INTERVAL_MILLIS = 1_000;
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");
    public static final long DEFAULT_SEED = 1;
    public static final long DEFAULT_PROFILE_SEED = 42;
    public static final int DEFAULT_ANOMALIES_PER_ENTITY = 5;
    /** A model's window (64 events by default) fills with normal data before the first anomaly. */
    public static final int DEFAULT_WARMUP_EVENTS = 64;
    /** Normal events between two anomalies of one entity, so a model's window refills in between. */
    public static final int DEFAULT_MIN_GAP_EVENTS = 64;

    public GeneratorConfig {
        if (entities < 1) {
            throw new IllegalArgumentException("entities must be at least 1, got " + entities);
        }
        Objects.requireNonNull(entityPrefix, "entity prefix is required (use \"\" for none)");
        Objects.requireNonNull(channels, "channel names are required");
        channels = List.copyOf(channels);
        if (channels.size() < 2) {
            throw new IllegalArgumentException("at least 2 channels are needed (correlated channels), got " + channels);
        }
        if (new HashSet<>(channels).size() != channels.size()) {
            throw new IllegalArgumentException("channel names must be unique, got " + channels);
        }
        for (String c : channels) {
            if (c.isBlank() || c.contains(",") || c.contains("\"") || c.contains("\n")) {
                throw new IllegalArgumentException("channel name '" + c
                        + "' must be non-blank without commas, quotes or newlines" + " (it becomes a CSV column)");
            }
        }
        if (eventsPerEntity < 1) {
            throw new IllegalArgumentException("events per entity must be at least 1, got " + eventsPerEntity);
        }
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + intervalMillis);
        }
        Objects.requireNonNull(start, "start time is required");
        if (anomaliesPerEntity < 0) {
            throw new IllegalArgumentException("anomalies per entity must not be negative, got " + anomaliesPerEntity);
        }
        Objects.requireNonNull(kinds, "anomaly kinds are required");
        // An EnumSet iterates in declaration order, which the generator relies on for determinism.
        kinds = Collections.unmodifiableSet(
                kinds.isEmpty() ? EnumSet.noneOf(AnomalyKind.class) : EnumSet.copyOf(kinds));
        if (anomaliesPerEntity > 0 && kinds.isEmpty()) {
            throw new IllegalArgumentException(
                    "anomalies per entity is " + anomaliesPerEntity + " but no anomaly kinds are enabled");
        }
        if (warmupEvents < 0) {
            throw new IllegalArgumentException("warm-up events must not be negative, got " + warmupEvents);
        }
        if (minGapEvents < 0) {
            throw new IllegalArgumentException(
                    "minimum gap between anomalies must not be negative, got " + minGapEvents);
        }
        if (anomaliesPerEntity > 0) {
            long needed = requiredEvents(anomaliesPerEntity, kinds, warmupEvents, minGapEvents);
            if (eventsPerEntity < needed) {
                throw new IllegalArgumentException(anomaliesPerEntity + " anomalies per entity need at least " + needed
                        + " events per entity (warm-up " + warmupEvents + ", longest window " + longest(kinds)
                        + ", gap " + minGapEvents + " each); got " + eventsPerEntity
                        + ": raise events per entity or lower anomalies, warm-up or gap");
            }
        }
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same entities and normal behaviour, anomaly-free, with another seed, start and length: training data. */
    public GeneratorConfig forHistory(long historySeed, Instant historyStart, int historyEventsPerEntity) {
        return new GeneratorConfig(
                entities,
                entityPrefix,
                channels,
                historyEventsPerEntity,
                intervalMillis,
                historyStart,
                historySeed,
                profileSeed,
                0,
                kinds,
                warmupEvents,
                minGapEvents);
    }

    /** This stream with no anomalies: the same noise, so it is the anomalous stream's normal twin. */
    public GeneratorConfig withoutAnomalies() {
        return new GeneratorConfig(
                entities,
                entityPrefix,
                channels,
                eventsPerEntity,
                intervalMillis,
                start,
                seed,
                profileSeed,
                0,
                kinds,
                warmupEvents,
                minGapEvents);
    }

    /** Entity ids, {@code prefix} + a zero-padded 1-based number, e.g. {@code sensor-001}. */
    /**
     * The first {@code n} entities only, with the same behaviour (profiles are drawn per entity index), e.g.
     * to train on a sample of a large fleet; ids may be padded differently.
     */
    public GeneratorConfig firstEntities(int n) {
        return new GeneratorConfig(
                Math.min(n, entities),
                entityPrefix,
                channels,
                eventsPerEntity,
                intervalMillis,
                start,
                seed,
                profileSeed,
                anomaliesPerEntity,
                kinds,
                warmupEvents,
                minGapEvents);
    }

    public List<String> entityIds() {
        return IntStream.range(0, entities).mapToObj(this::entityId).toList();
    }

    /** The id of the entity at {@code index} (0-based) of {@link #entityIds()}, without building the list. */
    public String entityId(int index) {
        if (index < 0 || index >= entities) {
            throw new IndexOutOfBoundsException("entity " + index + " of " + entities);
        }
        int width = Math.max(3, String.valueOf(entities).length());
        return entityPrefix + String.format("%0" + width + "d", index + 1);
    }

    /** Event time of the last event of the stream. */
    public Instant end() {
        return start.plusMillis((eventsPerEntity - 1) * intervalMillis + (entities - 1) * staggerMillis());
    }

    /**
     * How far apart in time the entities' readings of one step are: spread evenly over the interval,
     * as independent sensors would be, so the merged stream is not a sequence of simultaneous bursts.
     */
    public long staggerMillis() {
        return intervalMillis / entities;
    }

    private static long requiredEvents(int anomalies, Set<AnomalyKind> kinds, int warmup, int gap) {
        return warmup + (long) anomalies * (longest(kinds) + gap);
    }

    private static int longest(Set<AnomalyKind> kinds) {
        return kinds.stream().mapToInt(AnomalyKind::maxEvents).max().orElse(0);
    }

    /** Builds a {@link GeneratorConfig}; anomalies are given as a count per entity or as a rate. */
    public static final class Builder {
        private int entities = DEFAULT_ENTITIES;
        private String entityPrefix = DEFAULT_ENTITY_PREFIX;
        private List<String> channels = DEFAULT_CHANNELS;
        private int eventsPerEntity = DEFAULT_EVENTS_PER_ENTITY;
        private long intervalMillis = DEFAULT_INTERVAL_MILLIS;
        private Instant start = DEFAULT_START;
        private long seed = DEFAULT_SEED;
        private long profileSeed = DEFAULT_PROFILE_SEED;
        private int anomaliesPerEntity = DEFAULT_ANOMALIES_PER_ENTITY;
        private Double anomaliesPerThousandEvents;
        private Set<AnomalyKind> kinds = EnumSet.allOf(AnomalyKind.class);
        private int warmupEvents = DEFAULT_WARMUP_EVENTS;
        private int minGapEvents = DEFAULT_MIN_GAP_EVENTS;

        private Builder() {}

        public Builder entities(int entities) {
            this.entities = entities;
            return this;
        }

        public Builder entityPrefix(String entityPrefix) {
            this.entityPrefix = entityPrefix;
            return this;
        }

        public Builder channels(List<String> channels) {
            this.channels = channels;
            return this;
        }

        public Builder eventsPerEntity(int eventsPerEntity) {
            this.eventsPerEntity = eventsPerEntity;
            return this;
        }

        public Builder intervalMillis(long intervalMillis) {
            this.intervalMillis = intervalMillis;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder profileSeed(long profileSeed) {
            this.profileSeed = profileSeed;
            return this;
        }

        /** A fixed number of anomalies per entity (replaces an earlier rate). */
        public Builder anomaliesPerEntity(int anomaliesPerEntity) {
            this.anomaliesPerEntity = anomaliesPerEntity;
            this.anomaliesPerThousandEvents = null;
            return this;
        }

        /** Anomalies per 1000 events of an entity, rounded to a count when built (replaces an earlier count). */
        public Builder anomalyRate(double anomaliesPerThousandEvents) {
            if (!(anomaliesPerThousandEvents >= 0) || Double.isInfinite(anomaliesPerThousandEvents)) {
                throw new IllegalArgumentException(
                        "anomaly rate must be a finite number >= 0 per 1000 events, got " + anomaliesPerThousandEvents);
            }
            this.anomaliesPerThousandEvents = anomaliesPerThousandEvents;
            return this;
        }

        public Builder kinds(Set<AnomalyKind> kinds) {
            this.kinds = kinds;
            return this;
        }

        public Builder warmupEvents(int warmupEvents) {
            this.warmupEvents = warmupEvents;
            return this;
        }

        public Builder minGapEvents(int minGapEvents) {
            this.minGapEvents = minGapEvents;
            return this;
        }

        public GeneratorConfig build() {
            int anomalies = anomaliesPerThousandEvents == null
                    ? anomaliesPerEntity
                    : (int) Math.round(anomaliesPerThousandEvents * eventsPerEntity / 1000.0);
            return new GeneratorConfig(
                    entities,
                    entityPrefix,
                    channels,
                    eventsPerEntity,
                    intervalMillis,
                    start,
                    seed,
                    profileSeed,
                    anomalies,
                    kinds,
                    warmupEvents,
                    minGapEvents);
        }
    }
}
