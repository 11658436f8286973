package io.vigil.harness.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic generator of labelled multi-channel sensor streams: the same config gives the same
 * readings and the same ground truth, on any JVM.
 *
 * <p>Each entity's normal signal mixes shared latent factors (two sinusoids with per-entity periods
 * and phases, and a slow AR(1) process) with a small AR(1) noise per channel, around per-channel
 * levels and scales that differ by up to 10x between entities. Anomalies of the configured
 * {@link AnomalyKind kinds} are laid over it after a warm-up, never overlapping within an entity.
 * Readings come ordered by event time with the entities interleaved; the stream is produced lazily,
 * so its length is bounded by time, not memory.
 *
 * <pre>{@code
 * SensorStreamGenerator live = new SensorStreamGenerator(GeneratorConfig.builder().entities(8).build());
 * live.stream().forEach(reading -> ...);
 * List<AnomalyWindow> truth = live.groundTruth();
 * SensorStreamGenerator training = live.history(99, Instant.parse("2024-12-01T00:00:00Z"), 20_000);
 * }</pre>
 */
public final class SensorStreamGenerator implements Iterable<LabeledReading> {

    private static final long PROFILE_STREAM = 0;
    private static final long PLAN_STREAM = 1;
    private static final long NOISE_STREAM = 2;
    private static final long ANOMALY_NOISE_STREAM = 3;

    private final GeneratorConfig config;
    private final List<String> entityIds;
    private final List<EntityProfile> profiles;
    private final List<List<PlannedAnomaly>> plans;
    private final List<AnomalyWindow> windows;

    public SensorStreamGenerator(GeneratorConfig config) {
        this.config = config;
        this.entityIds = config.entityIds();
        int channels = config.channels().size();
        // What kind of sensor each channel is (typical level and spread) is common to all entities.
        Random channelTypes = random(config.profileSeed(), -1, PROFILE_STREAM);
        double[] channelLevel = new double[channels];
        double[] channelScale = new double[channels];
        for (int c = 0; c < channels; c++) {
            channelLevel[c] = 20 + 80 * channelTypes.nextDouble();
            channelScale[c] = 0.5 + 2.5 * channelTypes.nextDouble();
        }
        List<EntityProfile> ps = new ArrayList<>();
        List<List<PlannedAnomaly>> pl = new ArrayList<>();
        for (int e = 0; e < config.entities(); e++) {
            EntityProfile profile = EntityProfile.draw(
                    entityIds.get(e), channelLevel, channelScale, random(config.profileSeed(), e, PROFILE_STREAM));
            ps.add(profile);
            pl.add(PlannedAnomaly.plan(config, e, profile, random(config.seed(), e, PLAN_STREAM)));
        }
        this.profiles = List.copyOf(ps);
        this.plans = List.copyOf(pl);
        this.windows = pl.stream()
                .flatMap(List::stream)
                .map(PlannedAnomaly::window)
                .sorted(Comparator.comparing(AnomalyWindow::startTime).thenComparing(AnomalyWindow::entityId))
                .toList();
    }

    public GeneratorConfig config() {
        return config;
    }

    public List<String> entityIds() {
        return entityIds;
    }

    /** The channel names, in the order of {@link LabeledReading#values()}. */
    public List<String> channels() {
        return config.channels();
    }

    /** Each entity's normal behaviour, in entity order. */
    public List<EntityProfile> profiles() {
        return profiles;
    }

    /** The injected anomalies, ordered by start time. */
    public List<AnomalyWindow> groundTruth() {
        return windows;
    }

    /** Number of readings per entity (every entity gets the configured count). */
    public Map<String, Long> eventsPerEntity() {
        Map<String, Long> counts = new LinkedHashMap<>();
        entityIds.forEach(id -> counts.put(id, (long) config.eventsPerEntity()));
        return counts;
    }

    /** Total number of readings the stream has. */
    public long size() {
        return (long) config.entities() * config.eventsPerEntity();
    }

    /** Normal-only readings of the same entities (same behaviour) from another seed and time range. */
    public SensorStreamGenerator history(long seed, Instant start, int eventsPerEntity) {
        return new SensorStreamGenerator(config.forHistory(seed, start, eventsPerEntity));
    }

    /** A fresh pass over the stream, from the first event. */
    @Override
    public Iterator<LabeledReading> iterator() {
        List<EntitySimulator> simulators = new ArrayList<>();
        for (int e = 0; e < config.entities(); e++) {
            simulators.add(new EntitySimulator(
                    config,
                    e,
                    profiles.get(e),
                    plans.get(e),
                    random(config.seed(), e, NOISE_STREAM),
                    random(config.seed(), e, ANOMALY_NOISE_STREAM)));
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return simulators.get(next).hasNext();
            }

            @Override
            public LabeledReading next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the stream has " + size() + " readings");
                }
                // Step i of every entity, in entity order: event times within one step rise with the
                // entity index (stagger) and stay below step i + 1, so this is event-time order.
                LabeledReading r = simulators.get(next).next();
                next = (next + 1) % simulators.size();
                return r;
            }
        };
    }

    /** The stream, lazily; every call starts again from the first event. */
    public Stream<LabeledReading> stream() {
        return StreamSupport.stream(
                Spliterators.spliterator(
                        iterator(), size(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
                false);
    }

    /** The whole stream in memory; for tests and small corpora. */
    public List<LabeledReading> readings() {
        return stream().toList();
    }

    /**
     * A generator for one (seed, entity, purpose): independent streams per purpose, so that, e.g.,
     * changing where anomalies go never changes the noise.
     */
    private static Random random(long seed, int entity, long purpose) {
        return new Random(mix(mix(seed) ^ mix(entity * 0x9E3779B97F4A7C15L + purpose)));
    }

    /** MurmurHash3's 64-bit finaliser: nearby inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe53e5a63L;
        return z ^ (z >>> 33);
    }
}
