package io.vigil.harness.write;

import io.vigil.harness.generate.LabeledReading;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Produces readings to Kafka the way a fleet of sensors would: key = entity id (UTF-8), value = the
 * {@link SensorReading} in Vigil's wire format, optionally paced to a target rate, optionally with a
 * fraction of extra bad records mixed in (undecodable bytes, a NaN value, a missing channel) that the
 * job must dead-letter without stopping. Records carry the producer's clock as their Kafka timestamp,
 * which is what the job measures latency from.
 *
 * <pre>{@code
 * try (KafkaReadingWriter w = new KafkaReadingWriter(KafkaReadingWriter.Config.of(bootstrap, "readings"), channels)) {
 *     generator.stream().forEach(w::accept);
 *     KafkaReadingWriter.Report report = w.finish();
 * }
 * }</pre>
 */
public final class KafkaReadingWriter implements ReadingSink {

    /** The kinds of bad record mixed in; each must reach the dead-letter topic, not the scorer. */
    public enum Garbage {
        /** Random bytes without the single-object marker. */
        UNDECODABLE,
        /** A well-formed reading with one channel set to NaN. */
        NAN_VALUE,
        /** A well-formed reading with one channel left out. */
        MISSING_CHANNEL
    }

    /**
     * Where and how to write. {@code eventsPerSecond} 0 means as fast as the broker takes them;
     * {@code garbageFraction} is extra bad records per good one (0.01 = one per hundred).
     */
    public record Config(
            String bootstrapServers,
            String topic,
            double eventsPerSecond,
            double garbageFraction,
            long garbageSeed,
            Map<String, String> producerOverrides) {

        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrap servers are required (host:port)");
            Objects.requireNonNull(topic, "topic is required");
            if (bootstrapServers.isBlank() || topic.isBlank()) {
                throw new IllegalArgumentException("bootstrap servers and topic must not be blank");
            }
            if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
                throw new IllegalArgumentException(
                        "target rate must be 0 (unthrottled) or a positive number of events/s, got " + eventsPerSecond);
            }
            if (!(garbageFraction >= 0 && garbageFraction <= 1)) {
                throw new IllegalArgumentException(
                        "garbage fraction must be between 0 and 1 (extra bad records per reading),"
                                + " got "
                                + garbageFraction);
            }
            producerOverrides = Map.copyOf(producerOverrides);
        }

        /** Unthrottled, no garbage. */
        public static Config of(String bootstrapServers, String topic) {
            return new Config(bootstrapServers, topic, 0, 0, 0, Map.of());
        }

        public Config withRate(double eventsPerSecond) {
            return new Config(
                    bootstrapServers, topic, eventsPerSecond, garbageFraction, garbageSeed, producerOverrides);
        }

        public Config withGarbage(double fraction, long seed) {
            return new Config(bootstrapServers, topic, eventsPerSecond, fraction, seed, producerOverrides);
        }

        public Config withProducerConfig(String key, String value) {
            return withProducerConfigs(Map.of(key, value));
        }

        /** Client settings of a cluster that wants them (security.protocol, sasl.*, ssl.*), over the writer's own. */
        public Config withProducerConfigs(Map<String, String> settings) {
            Map<String, String> copy = new LinkedHashMap<>(producerOverrides);
            copy.putAll(settings);
            return new Config(bootstrapServers, topic, eventsPerSecond, garbageFraction, garbageSeed, copy);
        }
    }

    /** What was written: good readings, bad records by kind, failed sends, and how long it took. */
    /**
     * @param maxBehindMillis for a paced write, the latest any reading was sent against its schedule (the
     *     writer then catches up in a burst); 0 unpaced
     */
    public record Report(
            String topic,
            long readings,
            Map<Garbage, Long> garbage,
            long failedSends,
            long elapsedMillis,
            long maxBehindMillis) {

        public Report {
            garbage = Map.copyOf(garbage);
        }

        public long garbageTotal() {
            return garbage.values().stream().mapToLong(Long::longValue).sum();
        }

        public long records() {
            return readings + garbageTotal();
        }

        /** Readings per second over the whole write, flush included. */
        public double eventsPerSecond() {
            return elapsedMillis == 0 ? readings * 1000.0 : readings * 1000.0 / elapsedMillis;
        }

        public String toText() {
            return String.format(
                    Locale.ROOT,
                    "%d readings + %d garbage (%d undecodable, %d NaN, %d missing channel) to %s"
                            + " in %.1f s (%.0f readings/s)%s",
                    readings,
                    garbageTotal(),
                    garbage.getOrDefault(Garbage.UNDECODABLE, 0L),
                    garbage.getOrDefault(Garbage.NAN_VALUE, 0L),
                    garbage.getOrDefault(Garbage.MISSING_CHANNEL, 0L),
                    topic,
                    elapsedMillis / 1000.0,
                    eventsPerSecond(),
                    failedSends == 0 ? "" : ", " + failedSends + " FAILED sends");
        }
    }

    private final Config config;
    private final List<String> channels;
    private final ByteProducer producer;
    private final Pacer pacer;
    private final Random garbageRandom;
    private final Map<Garbage, Long> garbage = new LinkedHashMap<>();
    private long readings;
    private double garbageOwed;
    private Report report;

    public KafkaReadingWriter(Config config, List<String> channels) {
        this.config = config;
        this.channels = List.copyOf(channels);
        this.garbageRandom = new Random(config.garbageSeed());
        for (Garbage g : Garbage.values()) {
            garbage.put(g, 0L);
        }
        this.pacer = new Pacer(config.eventsPerSecond());
        this.producer = new ByteProducer(config.bootstrapServers(), config.producerOverrides());
    }

    @Override
    public void accept(LabeledReading r) {
        if (report != null) {
            throw new IllegalStateException("the writer is finished; open a new one to write more");
        }
        producer.throwIfFailed(config.topic(), readings, "readings");
        pacer.awaitTurn(readings);
        SensorReading reading = r.toSensorReading(channels);
        byte[] key = r.entityId().getBytes(StandardCharsets.UTF_8);
        send(key, WireFormat.encode(reading));
        readings++;
        // Accumulating the owed fraction gives exactly floor(n * fraction) bad records, spread evenly.
        garbageOwed += config.garbageFraction();
        while (garbageOwed >= 1) {
            garbageOwed -= 1;
            sendGarbage(key, reading);
        }
    }

    /** Flushes, and reports what was written; idempotent. */
    public Report finish() {
        if (report == null) {
            producer.flush();
            report = new Report(
                    config.topic(),
                    readings,
                    garbage,
                    producer.failedSends(),
                    pacer.elapsedMillis(),
                    pacer.maxBehindMillis());
        }
        return report;
    }

    /** The first send failure, if any (the count is in the report). */
    public Exception firstFailure() {
        return producer.firstFailure();
    }

    @Override
    public void close() {
        try {
            finish();
        } finally {
            producer.close();
        }
    }

    /**
     * For a paced write, how late against its schedule the latest reading was sent, in milliseconds (0 on
     * schedule, before the first reading and unpaced); safe to read from another thread.
     */
    public long behindMillis() {
        return pacer.behindMillis();
    }

    private void sendGarbage(byte[] key, SensorReading reading) {
        Garbage kind = Garbage.values()[garbageRandom.nextInt(Garbage.values().length)];
        byte[] value = switch (kind) {
            case UNDECODABLE -> ByteProducer.undecodable(garbageRandom);
            case NAN_VALUE -> {
                Map<String, Double> values = new LinkedHashMap<>(reading.getValues());
                values.put(channels.get(garbageRandom.nextInt(channels.size())), Double.NaN);
                yield WireFormat.encode(
                        SensorReading.newBuilder(reading).setValues(values).build());
            }
            case MISSING_CHANNEL -> {
                Map<String, Double> values = new LinkedHashMap<>(reading.getValues());
                values.remove(channels.get(garbageRandom.nextInt(channels.size())));
                yield WireFormat.encode(
                        SensorReading.newBuilder(reading).setValues(values).build());
            }
        };
        send(key, value);
        garbage.merge(kind, 1L, Long::sum);
    }

    private void send(byte[] key, byte[] value) {
        producer.send(config.topic(), key, value);
    }
}
