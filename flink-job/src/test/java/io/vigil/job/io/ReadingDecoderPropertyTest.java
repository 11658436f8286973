package io.vigil.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * The decoder and validator as units, property-tested with jqwik: thousands of generated inputs per
 * property (a failure is shrunk to a smallest example and reported with the seed that replays it).
 * Whatever the bytes, the result is a valid event or a dead letter with a known reason, the original
 * bytes and a detail; never an exception. The validator accepts exactly the readings that can be
 * scored. A length prefix that claims more than the record holds is refused as undecodable before
 * anything is allocated for it (plain Avro allocates the claim: 500 MB for a 19-byte record, an
 * OutOfMemoryError in a TaskManager's 384 MB heap).
 */
class ReadingDecoderPropertyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MAX_FUTURE = Duration.ofHours(1).toMillis();
    private static final List<String> FEATURES = List.of("pressure", "temperature");
    private static final byte[] VALID =
            WireFormat.encode(reading("pump-1", NOW.toEpochMilli(), Map.of("pressure", 1.5, "temperature", 70.0)));
    private final ReadingDecoder decoder = new ReadingDecoder(
            new FeatureSpec(FEATURES), Duration.ofMillis(MAX_FUTURE), Clock.fixed(NOW, ZoneOffset.UTC));

    @Property(tries = 3000)
    void randomBytesAreAnEventOrADeadLetterWithItsReason(@ForAll @Size(max = 600) byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 3000)
    void aValidHeaderWithARandomBodyIsAnEventOrADeadLetter(@ForAll @Size(max = 600) byte[] body) {
        byte[] b = Arrays.copyOf(VALID, 10 + body.length);
        System.arraycopy(body, 0, b, 10, body.length);
        check(b);
    }

    @Property(tries = 3000)
    void aValidReadingMutatedIsAnEventOrADeadLetter(@ForAll("mutated") byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 3000)
    void theValidatorAcceptsExactlyTheReadingsThatCanBeScored(@ForAll("readings") SensorReading reading) {
        byte[] bytes = WireFormat.encode(reading);
        Envelope e = check(bytes);
        long t = reading.getEventTime().toEpochMilli();
        boolean valid = !reading.getEntityId().isBlank()
                && reading.getEntityId().length() <= ReadingDecoder.MAX_ENTITY_LENGTH
                && reading.getValues().size() <= ReadingDecoder.MAX_CHANNELS
                && bytes.length <= ReadingDecoder.MAX_RECORD_BYTES
                && t > 0
                && t <= NOW.toEpochMilli() + MAX_FUTURE
                && FEATURES.stream()
                        .allMatch(f -> reading.getValues().containsKey(f)
                                && Double.isFinite(reading.getValues().get(f)));
        assertThat(e.isEvent())
                .as(e.isEvent() ? "an event" : e.deadLetter.reason + ": " + e.deadLetter.detail)
                .isEqualTo(valid);
        if (valid) {
            assertThat(e.event.values)
                    .containsExactly(
                            reading.getValues().get("pressure"),
                            reading.getValues().get("temperature"));
            assertThat(e.event.entityId).isEqualTo(reading.getEntityId());
            assertThat(e.event.eventTime).isEqualTo(t);
        }
    }

    @Property(tries = 500)
    void lengthPrefixesClaimingMoreThanTheMessageHoldsAreRefusedBeforeAllocation(
            @ForAll("lengthPositions") int position, @ForAll("claims") long claim) {
        byte[] varint = zigZagVarint(claim);
        byte[] b = Arrays.copyOf(VALID, position + varint.length + 2);
        System.arraycopy(varint, 0, b, position, varint.length);
        Envelope e = check(b);
        assertThat(e.isEvent()).isFalse();
        assertThat(e.deadLetter.reason)
                .as("a claim of %d at byte %d", claim, position)
                .isEqualTo(DeadLetter.UNDECODABLE);
        // refused by a length check (ours, or Avro's own past 2^31 - 9), not by running out of bytes after
        // allocating the claim
        assertThat(e.deadLetter.detail).containsAnyOf("claims " + claim, "larger than 2147483639");
    }

    /** A valid reading with bytes replaced, truncated, or with garbage appended. */
    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> replaced = Arbitraries.integers()
                .between(0, VALID.length - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .flatMap(positions -> Arbitraries.bytes()
                        .list()
                        .ofSize(positions.size())
                        .map(values -> {
                            byte[] b = VALID.clone();
                            for (int i = 0; i < positions.size(); i++) {
                                b[positions.get(i)] = values.get(i);
                            }
                            return b;
                        }));
        Arbitrary<byte[]> truncated =
                Arbitraries.integers().between(0, VALID.length - 1).map(n -> Arrays.copyOf(VALID, n));
        Arbitrary<byte[]> appended = Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(1)
                .ofMaxSize(64)
                .map(tail -> {
                    byte[] b = Arrays.copyOf(VALID, VALID.length + tail.length);
                    System.arraycopy(tail, 0, b, VALID.length, tail.length);
                    return b;
                });
        return Arbitraries.oneOf(replaced, truncated, appended);
    }

    /** Empty, blank, huge and ordinary ids; times negative, recent and decades ahead; NaN, infinities, extra channels. */
    @Provide
    Arbitrary<SensorReading> readings() {
        Arbitrary<String> entity = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.integers().between(1, 3).map(" "::repeat),
                Arbitraries.integers().between(250, 261).map("e"::repeat), // around the 256 limit
                Arbitraries.integers().between(0, 999).map(i -> "pump-" + i));
        long now = NOW.toEpochMilli();
        Arbitrary<Long> time = Arbitraries.oneOf(
                Arbitraries.longs().between(-5_000_000L, 5_000_000L),
                Arbitraries.just(now + 86_400_000L * 365 * 30),
                Arbitraries.longs().between(now - 86_400_000L, now + 4_000_000L)); // around validation.max-future
        Arbitrary<Double> value = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.doubles().between(-1e4, 1e4)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                -0.0,
                                Double.MAX_VALUE,
                                Double.MIN_VALUE)),
                Tuple.of(1, Arbitraries.just((Double) null))); // the channel is missing
        Arbitrary<Integer> extra = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(1022, 1023)),
                Tuple.of(1, Arbitraries.just(3000)), // thousands of channels
                Tuple.of(6, Arbitraries.integers().between(0, 4)));
        return Combinators.combine(entity, time, value, value, extra).as((id, t, pressure, temperature, n) -> {
            Map<String, Double> values = new HashMap<>();
            if (pressure != null) {
                values.put("pressure", pressure);
            }
            if (temperature != null) {
                values.put("temperature", temperature);
            }
            for (int i = 0; i < n; i++) {
                values.put("extra-" + i, (double) i);
            }
            return reading(id, t, values);
        });
    }

    /** Where a length is read: 10, the entity id's; after the id and the time, the values map's item count. */
    @Provide
    Arbitrary<Integer> lengthPositions() {
        return Arbitraries.of(10, 10 + 1 + "pump-1".length() + zigZagVarint(NOW.toEpochMilli()).length);
    }

    /** Claims from a kilobyte to 2^40, the edges around Avro's own limit among them. */
    @Provide
    Arbitrary<Long> claims() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        1_000L, 65_536L, 500_000_000L, Integer.MAX_VALUE - 8L, (long) Integer.MAX_VALUE, 1L << 40),
                Arbitraries.longs().between(1_000L, 1L << 40));
    }

    private Envelope check(byte[] bytes) {
        Envelope e = decoder.decode(null, bytes, "t", 0, 7, 99);
        if (e.isEvent()) {
            assertThat(e.event.entityId).isNotBlank();
            assertThat(e.event.values).hasSize(FEATURES.size());
            assertThat(Arrays.stream(e.event.values).allMatch(Double::isFinite)).isTrue();
            assertThat(e.event.eventTime).isPositive().isLessThanOrEqualTo(NOW.toEpochMilli() + MAX_FUTURE);
        } else {
            assertThat(DeadLetter.DECODE_REASONS).contains(e.deadLetter.reason);
            assertThat(e.deadLetter.detail).isNotBlank();
            assertThat(e.deadLetter.value).isSameAs(bytes);
            assertThat(e.deadLetter.offset).isEqualTo(7);
        }
        return e;
    }

    private static SensorReading reading(String entity, long time, Map<String, Double> values) {
        return SensorReading.newBuilder()
                .setEntityId(entity)
                .setEventTime(Instant.ofEpochMilli(time))
                .setValues(new HashMap<>(values))
                .build();
    }

    private static byte[] zigZagVarint(long n) {
        long v = (n << 1) ^ (n >> 63);
        byte[] out = new byte[10];
        int i = 0;
        while ((v & ~0x7FL) != 0) {
            out[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[i++] = (byte) v;
        return Arrays.copyOf(out, i);
    }
}
