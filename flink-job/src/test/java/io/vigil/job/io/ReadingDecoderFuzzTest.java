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
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The decoder and validator fuzzed: thousands of generated inputs per case from a fixed seed (a failure
 * names the seed and the try, so it can be replayed). Whatever the bytes, the result is a valid event
 * or a dead letter with a known reason, the original bytes and a detail; never an exception. A length
 * prefix that claims more than the record holds is refused as undecodable (plain Avro allocates the
 * claim: 500 MB for a 19-byte record, an OutOfMemoryError in a TaskManager's 384 MB heap).
 */
class ReadingDecoderFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<String> FEATURES = List.of("pressure", "temperature");
    private static final long SEED = 18;
    private static final int TRIES = 3000;
    private final ReadingDecoder decoder = new ReadingDecoder(new FeatureSpec(FEATURES), Duration.ofHours(1),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final byte[] VALID = WireFormat.encode(reading("pump-1", NOW.toEpochMilli(),
            Map.of("pressure", 1.5, "temperature", 70.0)));

    @Test
    void randomBytesAreAnEventOrADeadLetterWithItsReason() {
        fuzz(r -> bytes(r, r.nextInt(600)));
    }

    @Test
    void aValidHeaderWithARandomBodyIsAnEventOrADeadLetter() {
        fuzz(r -> {
            byte[] body = bytes(r, r.nextInt(600));
            byte[] b = Arrays.copyOf(VALID, 10 + body.length);
            System.arraycopy(body, 0, b, 10, body.length);
            return b;
        });
    }

    @Test
    void aValidReadingMutatedIsAnEventOrADeadLetter() {
        fuzz(r -> switch (r.nextInt(3)) {
            case 0 -> { // bytes replaced
                byte[] b = VALID.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                yield b;
            }
            case 1 -> Arrays.copyOf(VALID, r.nextInt(VALID.length)); // truncated
            default -> { // garbage appended
                byte[] tail = bytes(r, 1 + r.nextInt(64));
                byte[] b = Arrays.copyOf(VALID, VALID.length + tail.length);
                System.arraycopy(tail, 0, b, VALID.length, tail.length);
                yield b;
            }
        });
    }

    @Test
    void theValidatorAcceptsExactlyTheReadingsThatCanBeScored() {
        Random r = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            SensorReading reading = reading(r);
            byte[] bytes = WireFormat.encode(reading);
            Envelope e = check(bytes, i);
            long t = reading.getEventTime().toEpochMilli();
            boolean valid = !reading.getEntityId().isBlank()
                    && reading.getEntityId().length() <= ReadingDecoder.MAX_ENTITY_LENGTH
                    && reading.getValues().size() <= ReadingDecoder.MAX_CHANNELS
                    && bytes.length <= ReadingDecoder.MAX_RECORD_BYTES
                    && t > 0 && t <= NOW.toEpochMilli() + Duration.ofHours(1).toMillis()
                    && FEATURES.stream().allMatch(f -> reading.getValues().containsKey(f)
                            && Double.isFinite(reading.getValues().get(f)));
            assertThat(e.isEvent()).as("try %d (seed %d): %s", i, SEED, e.isEvent() ? "an event" : e.deadLetter)
                    .isEqualTo(valid);
            if (valid) {
                assertThat(e.event.values).containsExactly(reading.getValues().get("pressure"),
                        reading.getValues().get("temperature"));
                assertThat(e.event.entityId).isEqualTo(reading.getEntityId());
                assertThat(e.event.eventTime).isEqualTo(t);
            }
        }
    }

    @Test
    void lengthPrefixesClaimingMoreThanTheMessageHoldsAreRefusedBeforeAllocation() {
        // where a length is read: 10, the entity id's; after the id and the time, the values map's item count
        int[] positions = {10, 10 + 1 + "pump-1".length() + zigZagVarint(NOW.toEpochMilli()).length};
        long[] claims = {1_000, 65_536, 500_000_000L, Integer.MAX_VALUE - 8L, Integer.MAX_VALUE, 1L << 40};
        int i = 0;
        for (int position : positions) {
            for (long claim : claims) {
                byte[] varint = zigZagVarint(claim);
                byte[] b = Arrays.copyOf(VALID, position + varint.length + 2);
                System.arraycopy(varint, 0, b, position, varint.length);
                Envelope e = check(b, i++);
                assertThat(e.isEvent()).isFalse();
                assertThat(e.deadLetter.reason).as("a claim of %d at byte %d", claim, position)
                        .isEqualTo(DeadLetter.UNDECODABLE);
                // refused by a length check (ours, or Avro's own past 2^31 - 9), not by running out of bytes after
                // allocating the claim
                assertThat(e.deadLetter.detail).containsAnyOf("claims " + claim, "larger than 2147483639");
            }
        }
    }

    private void fuzz(Function<Random, byte[]> inputs) {
        Random r = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            check(inputs.apply(r), i);
        }
    }

    private Envelope check(byte[] bytes, int attempt) {
        Envelope e = decoder.decode(null, bytes, "t", 0, 7, 99);
        String as = "try " + attempt + " (seed " + SEED + "): " + Arrays.toString(bytes);
        if (e.isEvent()) {
            assertThat(e.event.entityId).as(as).isNotBlank();
            assertThat(e.event.values).as(as).hasSize(FEATURES.size());
            assertThat(Arrays.stream(e.event.values).allMatch(Double::isFinite)).as(as).isTrue();
            assertThat(e.event.eventTime).as(as).isPositive().isLessThanOrEqualTo(NOW.toEpochMilli() + 3_600_000);
        } else {
            assertThat(DeadLetter.DECODE_REASONS).as(as).contains(e.deadLetter.reason);
            assertThat(e.deadLetter.detail).as(as).isNotBlank();
            assertThat(e.deadLetter.value).as(as).isSameAs(bytes);
            assertThat(e.deadLetter.offset).isEqualTo(7);
        }
        return e;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Empty, blank, huge and ordinary ids; times negative, recent and decades ahead; NaN, infinities, extra channels. */
    private static SensorReading reading(Random r) {
        String entity = switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> " ".repeat(1 + r.nextInt(3));
            case 2 -> "e".repeat(250 + r.nextInt(12)); // around the 256 limit
            default -> "pump-" + r.nextInt(1000);
        };
        long time = switch (r.nextInt(4)) {
            case 0 -> r.nextLong() % 5_000_000L;
            case 1 -> NOW.toEpochMilli() + 86_400_000L * 365 * 30;
            default -> NOW.toEpochMilli() - 86_400_000L + (long) (r.nextDouble() * 90_000_000L);
        };
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE,
            Double.MIN_VALUE};
        Map<String, Double> values = new HashMap<>();
        for (String f : FEATURES) {
            int k = r.nextInt(10);
            if (k == 0) {
                continue; // missing
            }
            values.put(f, k == 1 ? special[r.nextInt(special.length)] : r.nextGaussian() * 100);
        }
        int extra = switch (r.nextInt(8)) {
            case 0 -> 1022 + r.nextInt(2);
            case 1 -> 3000; // thousands of channels
            default -> r.nextInt(5);
        };
        for (int i = 0; i < extra; i++) {
            values.put("extra-" + i, (double) i);
        }
        return reading(entity, time, values);
    }

    private static SensorReading reading(String entity, long time, Map<String, Double> values) {
        return SensorReading.newBuilder().setEntityId(entity).setEventTime(Instant.ofEpochMilli(time))
                .setValues(new HashMap<>(values)).build();
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
