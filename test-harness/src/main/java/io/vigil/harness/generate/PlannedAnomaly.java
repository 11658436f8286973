package io.vigil.harness.generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One anomaly of one entity as the simulator applies it: the event index range, the channels, and
 * per channel a signed magnitude in sigmas (or, for a frequency change, the clock speed factor).
 */
record PlannedAnomaly(AnomalyWindow window, int first, int last, int[] channels, double[] sigmas, double clockSpeed) {

    boolean covers(int index) {
        return index >= first && index <= last;
    }

    int length() {
        return last - first + 1;
    }

    /**
     * Places {@code config.anomaliesPerEntity()} non-overlapping anomalies after the warm-up, at
     * least the minimum gap apart, with the spare events spread at random between them.
     */
    static List<PlannedAnomaly> plan(GeneratorConfig config, int entityIndex, EntityProfile profile, Random rng) {
        int n = config.anomaliesPerEntity();
        if (n == 0) {
            return List.of();
        }
        List<AnomalyKind> enabled = List.copyOf(config.kinds());
        // Rotating through the kinds (offset per entity) gives every kind its share across entities;
        // the shuffle keeps the order in time from being the same for every entity.
        List<AnomalyKind> kinds = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            kinds.add(enabled.get((entityIndex * n + j) % enabled.size()));
        }
        Collections.shuffle(kinds, rng);

        int[] lengths = new int[n];
        double[] speeds = new double[n];
        long total = 0;
        for (int j = 0; j < n; j++) {
            AnomalyKind kind = kinds.get(j);
            lengths[j] = kind.minEvents() + rng.nextInt(kind.maxEvents() - kind.minEvents() + 1);
            speeds[j] = 1;
            if (kind == AnomalyKind.FREQUENCY_CHANGE) {
                speeds[j] = rng.nextBoolean() ? 2.0 : 0.5;
                // At least one full cycle at the new period, or the change is not there to be seen.
                int cycle = (int) Math.ceil(profile.fastPeriod() / speeds[j]);
                lengths[j] = Math.min(kind.maxEvents(), Math.max(lengths[j], cycle));
            }
            total += lengths[j];
        }
        long slack = config.eventsPerEntity() - config.warmupEvents() - total - (long) (n - 1) * config.minGapEvents();
        long[] cuts = new long[n];
        for (int j = 0; j < n; j++) {
            cuts[j] = (long) Math.floor(rng.nextDouble() * (slack + 1));
        }
        Arrays.sort(cuts);

        List<PlannedAnomaly> out = new ArrayList<>();
        long position = config.warmupEvents();
        long previousCut = 0;
        for (int j = 0; j < n; j++) {
            position += cuts[j] - previousCut;
            previousCut = cuts[j];
            int first = (int) position;
            int last = first + lengths[j] - 1;
            out.add(build(config, entityIndex, profile, j, kinds.get(j), first, last, speeds[j], rng));
            position = last + 1 + config.minGapEvents();
        }
        return List.copyOf(out);
    }

    private static PlannedAnomaly build(
            GeneratorConfig config,
            int entityIndex,
            EntityProfile profile,
            int j,
            AnomalyKind kind,
            int first,
            int last,
            double speed,
            Random rng) {
        int channelCount = config.channels().size();
        int[] channels = switch (kind) {
            case SPIKE, LEVEL_SHIFT -> pickChannels(rng, channelCount, 1 + rng.nextInt(2));
            case DRIFT, STUCK, CORRELATION_BREAK -> pickChannels(rng, channelCount, 1);
            case FREQUENCY_CHANGE -> allChannels(channelCount); // the entity's clock drives every channel
        };
        double[] sigmas = new double[channels.length];
        for (int i = 0; i < channels.length; i++) {
            double sign = rng.nextBoolean() ? 1 : -1;
            sigmas[i] = switch (kind) {
                case SPIKE -> 6 + 4 * rng.nextDouble(); // the sign follows the signal at the spike, away from the mean
                case LEVEL_SHIFT -> sign * (3 + 2 * rng.nextDouble());
                case DRIFT -> sign * (4 + 2 * rng.nextDouble());
                case FREQUENCY_CHANGE, STUCK, CORRELATION_BREAK -> 0;
            };
        }
        String entityId = config.entityId(entityIndex); // not entityIds(): one id, not all of them per anomaly
        Instant start = eventTime(config, entityIndex, first);
        Instant end = eventTime(config, entityIndex, last);
        List<String> names =
                Arrays.stream(channels).mapToObj(config.channels()::get).toList();
        String id = entityId + "-a" + String.format("%02d", j + 1);
        AnomalyWindow window =
                new AnomalyWindow(id, entityId, kind, start, end, names, detail(kind, names, sigmas, speed, profile));
        return new PlannedAnomaly(window, first, last, channels, sigmas, speed);
    }

    static Instant eventTime(GeneratorConfig config, int entityIndex, int index) {
        return config.start().plusMillis(index * config.intervalMillis() + entityIndex * config.staggerMillis());
    }

    private static String detail(
            AnomalyKind kind, List<String> names, double[] sigmas, double speed, EntityProfile profile) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(
                    switch (kind) {
                        case SPIKE -> String.format(Locale.ROOT, "%.1f sigma on %s", sigmas[i], names.get(i));
                        case LEVEL_SHIFT -> String.format(Locale.ROOT, "%+.1f sigma on %s", sigmas[i], names.get(i));
                        case DRIFT -> String.format(Locale.ROOT, "ramp to %+.1f sigma on %s", sigmas[i], names.get(i));
                        case STUCK -> "stuck " + names.get(i);
                        case CORRELATION_BREAK -> "independent noise on " + names.get(i);
                        case FREQUENCY_CHANGE -> null;
                    });
        }
        if (kind == AnomalyKind.FREQUENCY_CHANGE) {
            return String.format(
                    Locale.ROOT,
                    "seasonal period x%s (fast %.1f -> %.1f events)",
                    speed > 1 ? "0.5" : "2",
                    profile.fastPeriod(),
                    profile.fastPeriod() / speed);
        }
        return String.join(", ", parts);
    }

    private static int[] pickChannels(Random rng, int channelCount, int count) {
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            all.add(c);
        }
        Collections.shuffle(all, rng);
        return all.subList(0, Math.min(count, channelCount)).stream()
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }

    private static int[] allChannels(int channelCount) {
        int[] all = new int[channelCount];
        Arrays.setAll(all, c -> c);
        return all;
    }
}
