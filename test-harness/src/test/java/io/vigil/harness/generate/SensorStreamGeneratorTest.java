package io.vigil.harness.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator is deterministic, its ground truth is consistent, and every anomaly kind is measurable. */
class SensorStreamGeneratorTest {

    private static final int ENTITIES = 12;
    private static final int EVENTS = 1_500;

    private static GeneratorConfig only(AnomalyKind kind) {
        return GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(5)
                .kinds(EnumSet.of(kind))
                .seed(3)
                .build();
    }

    @Test
    void sameSeedGivesTheSameStreamAndTruth() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(3)
                .eventsPerEntity(1_000)
                .seed(11)
                .build();
        SensorStreamGenerator a = new SensorStreamGenerator(config);
        SensorStreamGenerator b = new SensorStreamGenerator(config);
        assertThat(a.readings()).hasSize(3_000).isEqualTo(b.readings());
        assertThat(a.groundTruth()).isEqualTo(b.groundTruth()).hasSize(15);
        // A second pass over the same generator replays the stream from its first event.
        assertThat(a.readings()).isEqualTo(b.readings());

        SensorStreamGenerator other = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(3)
                .eventsPerEntity(1_000)
                .seed(12)
                .build());
        assertThat(other.readings().get(0)).isNotEqualTo(a.readings().get(0));
        assertThat(other.groundTruth().get(0).startTime())
                .isNotEqualTo(a.groundTruth().get(0).startTime());
        // The profile seed did not change, so the entities behave the same.
        assertThat(other.profiles()).isEqualTo(a.profiles());
    }

    @Test
    void oneEntityIdIsTheSameAsItsPlaceInTheList() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(1_200)
                .eventsPerEntity(10)
                .anomaliesPerEntity(0)
                .build();
        List<String> ids = config.entityIds();
        assertThat(ids)
                .hasSize(1_200)
                .startsWith("sensor-0001")
                .endsWith("sensor-1200")
                .doesNotHaveDuplicates();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(config.entityId(i)).isEqualTo(ids.get(i));
        }
        assertThatThrownBy(() -> config.entityId(1_200))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("entity 1200 of 1200");
        // the anomalies of each entity name it
        SensorStreamGenerator generator = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(30)
                .eventsPerEntity(1_000)
                .anomaliesPerEntity(3)
                .build());
        assertThat(generator.groundTruth())
                .hasSize(90)
                .allSatisfy(w -> assertThat(w.id()).startsWith(w.entityId() + "-a"));
    }

    @Test
    void streamIsOrderedByEventTimeWithEntitiesInterleaved() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(4)
                .eventsPerEntity(300)
                .anomaliesPerEntity(0)
                .build();
        List<LabeledReading> rs = new SensorStreamGenerator(config).readings();
        for (int i = 1; i < rs.size(); i++) {
            assertThat(rs.get(i).eventTime()).isAfter(rs.get(i - 1).eventTime());
        }
        assertThat(rs.subList(0, 4))
                .extracting(LabeledReading::entityId)
                .containsExactly("sensor-001", "sensor-002", "sensor-003", "sensor-004");
        assertThat(rs.get(1).eventTime()).isEqualTo(config.start().plusMillis(250));
        assertThat(rs.get(rs.size() - 1).eventTime()).isEqualTo(config.end());
        assertThat(rs.get(0).channelCount()).isEqualTo(4);
    }

    @Test
    void groundTruthWindowsAreInsideTheStreamAfterWarmUpAndNeverOverlap() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .seed(5)
                .build();
        SensorStreamGenerator g = new SensorStreamGenerator(config);
        List<AnomalyWindow> windows = g.groundTruth();
        assertThat(windows).hasSize(ENTITIES * 5);
        assertThat(windows).extracting(AnomalyWindow::kind).containsAll(EnumSet.allOf(AnomalyKind.class));

        long interval = config.intervalMillis();
        Map<String, List<AnomalyWindow>> byEntity =
                windows.stream().collect(Collectors.groupingBy(AnomalyWindow::entityId));
        for (List<AnomalyWindow> ws : byEntity.values()) {
            for (int i = 0; i < ws.size(); i++) {
                AnomalyWindow w = ws.get(i);
                long firstEvent = config.start().toEpochMilli() + config.warmupEvents() * interval;
                assertThat(w.startTime().toEpochMilli()).isGreaterThanOrEqualTo(firstEvent);
                assertThat(w.endTime()).isBeforeOrEqualTo(config.end());
                long events = (w.endTime().toEpochMilli() - w.startTime().toEpochMilli()) / interval + 1;
                assertThat(events)
                        .isBetween((long) w.kind().minEvents(), (long) w.kind().maxEvents());
                if (i > 0) {
                    long gap = (w.startTime().toEpochMilli()
                                            - ws.get(i - 1).endTime().toEpochMilli())
                                    / interval
                            - 1;
                    assertThat(gap)
                            .as("normal events between %s and %s", ws.get(i - 1).id(), w.id())
                            .isGreaterThanOrEqualTo(config.minGapEvents());
                }
            }
        }

        // Labels agree with the windows, event by event.
        long labelled = 0;
        for (LabeledReading r : g) {
            List<AnomalyWindow> containing = byEntity.getOrDefault(r.entityId(), List.of()).stream()
                    .filter(w -> w.contains(r.eventTime()))
                    .toList();
            assertThat(r.anomalous()).isEqualTo(!containing.isEmpty());
            if (r.anomalous()) {
                assertThat(r.anomalyId()).isEqualTo(containing.get(0).id());
                labelled++;
            }
        }
        long expected = windows.stream()
                .mapToLong(w -> (w.endTime().toEpochMilli() - w.startTime().toEpochMilli()) / interval + 1)
                .sum();
        assertThat(labelled).isEqualTo(expected);
    }

    @Test
    void spikesReachSixToTenSigma() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.SPIKE));
        GeneratedStream twin = new GeneratedStream(only(AnomalyKind.SPIKE).withoutAnomalies());
        for (AnomalyWindow w : s.generator.groundTruth()) {
            for (String ch : w.channels()) {
                int c = s.channel(ch);
                double[] normal = twin.series(w.entityId(), c);
                double mean = SignalStats.mean(normal);
                double sd = SignalStats.std(normal);
                double maxZ = Arrays.stream(s.series(w.entityId(), c, s.firstIndex(w), s.lastIndex(w)))
                        .map(v -> Math.abs(v - mean) / sd)
                        .max()
                        .orElseThrow();
                assertThat(maxZ).as("max |z| of %s on %s", w.id(), ch).isGreaterThan(6);
            }
        }
    }

    @Test
    void levelShiftsMoveTheMeanByMoreThanTwoSigma() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.LEVEL_SHIFT));
        GeneratedStream twin = new GeneratedStream(only(AnomalyKind.LEVEL_SHIFT).withoutAnomalies());
        for (AnomalyWindow w : s.generator.groundTruth()) {
            for (String ch : w.channels()) {
                int c = s.channel(ch);
                double sd = SignalStats.std(twin.series(w.entityId(), c));
                double shifted = SignalStats.mean(s.series(w.entityId(), c, s.firstIndex(w), s.lastIndex(w)));
                double normal = SignalStats.mean(twin.series(w.entityId(), c, s.firstIndex(w), s.lastIndex(w)));
                assertThat(Math.abs(shifted - normal) / sd)
                        .as("shift of %s on %s", w.id(), ch)
                        .isGreaterThan(2);
            }
        }
        // Outside the windows the stream is its normal twin, event for event.
        int outside = 0;
        for (int i = 0; i < s.readings.size(); i++) {
            if (!s.readings.get(i).anomalous()) {
                assertThat(s.readings.get(i)).isEqualTo(twin.readings.get(i));
                outside++;
            }
        }
        assertThat(outside).isGreaterThan(ENTITIES * (EVENTS - 5 * 80));
    }

    @Test
    void driftsRampUpToAboutFiveSigma() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.DRIFT));
        GeneratedStream twin = new GeneratedStream(only(AnomalyKind.DRIFT).withoutAnomalies());
        for (AnomalyWindow w : s.generator.groundTruth()) {
            int c = s.channel(w.channels().get(0));
            int a = s.firstIndex(w);
            int b = s.lastIndex(w);
            double sd = SignalStats.std(twin.series(w.entityId(), c));
            double[] x = s.series(w.entityId(), c, a, b);
            double[] y = twin.series(w.entityId(), c, a, b);
            double[] deviation = new double[x.length];
            double[] step = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                deviation[i] = (x[i] - y[i]) / sd;
                step[i] = i;
            }
            assertThat(Math.abs(deviation[x.length - 1]))
                    .as("final drift of %s", w.id())
                    .isBetween(3.5, 7.0);
            assertThat(Math.abs(SignalStats.correlation(deviation, step)))
                    .as("drift of %s grows linearly", w.id())
                    .isGreaterThan(0.99);
        }
    }

    @Test
    void stuckChannelsRepeatOneValueExactly() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.STUCK));
        GeneratedStream twin = new GeneratedStream(only(AnomalyKind.STUCK).withoutAnomalies());
        for (AnomalyWindow w : s.generator.groundTruth()) {
            int c = s.channel(w.channels().get(0));
            double[] stuck = s.series(w.entityId(), c, s.firstIndex(w), s.lastIndex(w));
            assertThat(Arrays.stream(stuck).distinct().count())
                    .as("distinct values of stuck %s", w.id())
                    .isEqualTo(1);
            assertThat(SignalStats.variance(stuck)).isLessThan(1e-20); // zero up to the rounding of the mean
            double normalVariance = SignalStats.variance(twin.series(w.entityId(), c, s.firstIndex(w), s.lastIndex(w)));
            assertThat(normalVariance)
                    .isGreaterThan(0.01 * Math.pow(s.profile(w.entityId()).sigma(c), 2));
        }
    }

    @Test
    void correlationBreaksDecoupleTheChannelFromItsFactorMates() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.CORRELATION_BREAK));
        GeneratedStream twin =
                new GeneratedStream(only(AnomalyKind.CORRELATION_BREAK).withoutAnomalies());
        List<Double> broken = new ArrayList<>();
        List<Double> normal = new ArrayList<>();
        for (AnomalyWindow w : s.generator.groundTruth()) {
            int c = s.channel(w.channels().get(0));
            int a = s.firstIndex(w);
            int b = s.lastIndex(w);
            double brokenR =
                    SignalStats.multipleCorrelation(s.series(w.entityId(), c, a, b), others(s, w.entityId(), c, a, b));
            double normalR = SignalStats.multipleCorrelation(
                    twin.series(w.entityId(), c, a, b), others(twin, w.entityId(), c, a, b));
            broken.add(brokenR);
            normal.add(normalR);
            // Same variance: the channel is not flagged by its spread, only by what it no longer follows.
            double sd = SignalStats.std(s.series(w.entityId(), c, a, b))
                    / s.profile(w.entityId()).sigma(c);
            assertThat(sd).isBetween(0.6, 1.5);
        }
        assertThat(mean(normal)).isGreaterThan(0.8);
        assertThat(mean(broken)).isLessThan(0.3);
        // A channel its mates barely explain even when normal (a few do, in a short window) cannot drop far.
        long dropped = 0;
        for (int i = 0; i < broken.size(); i++) {
            dropped += broken.get(i) < normal.get(i) - 0.3 ? 1 : 0;
        }
        assertThat(dropped).isGreaterThanOrEqualTo(Math.round(0.9 * broken.size()));
    }

    @Test
    void frequencyChangesHalveOrDoubleTheDominantPeriod() {
        GeneratedStream s = new GeneratedStream(only(AnomalyKind.FREQUENCY_CHANGE));
        GeneratedStream twin =
                new GeneratedStream(only(AnomalyKind.FREQUENCY_CHANGE).withoutAnomalies());
        List<Double> halved = new ArrayList<>();
        List<Double> doubled = new ArrayList<>();
        for (AnomalyWindow w : s.generator.groundTruth()) {
            EntityProfile p = s.profile(w.entityId());
            int c = strongestFastSeasonalChannel(p);
            int a = s.firstIndex(w);
            int b = s.lastIndex(w);
            int n = b - a + 1;
            double changed = SignalStats.dominantPeriod(s.series(w.entityId(), c, a, b), 6, 2.0 * n);
            double usual = SignalStats.dominantPeriod(twin.series(w.entityId(), c, a, b), 6, 2.0 * n);
            (w.detail().contains("x0.5") ? halved : doubled).add(changed / usual);
        }
        assertThat(halved).hasSizeGreaterThan(10);
        assertThat(doubled).hasSizeGreaterThan(10);
        // Estimating a period from 40-100 events next to a slower cycle is noisy; most windows must
        // show the change in the right direction and the typical ratio must be the factor.
        assertThat(halved.stream().filter(r -> r < 0.71).count())
                .isGreaterThanOrEqualTo(Math.round(0.8 * halved.size()));
        assertThat(doubled.stream().filter(r -> r > 1.4).count())
                .isGreaterThanOrEqualTo(Math.round(0.8 * doubled.size()));
        assertThat(median(halved)).isBetween(0.4, 0.6);
        assertThat(median(doubled)).isBetween(1.6, 2.5);
    }

    @Test
    void historyKeepsEachEntitysBehaviourWithNewNoiseAndNoAnomalies() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(3)
                .eventsPerEntity(2_000)
                .seed(21)
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(config);
        Instant historyStart = config.start().minus(Duration.ofDays(3));
        SensorStreamGenerator history = live.history(1021, historyStart, 6_000);

        assertThat(history.profiles()).isEqualTo(live.profiles());
        assertThat(history.groundTruth()).isEmpty();
        List<LabeledReading> rs = history.readings();
        assertThat(rs).hasSize(18_000).noneMatch(LabeledReading::anomalous);
        assertThat(rs.get(0).eventTime()).isEqualTo(historyStart);
        assertThat(rs.get(0).values()).isNotEqualTo(live.readings().get(0).values());

        // The normal statistics of history match the profile the live stream is drawn from.
        GeneratedStream h = new GeneratedStream(config.forHistory(1021, historyStart, 6_000));
        for (EntityProfile p : live.profiles()) {
            for (int c = 0; c < p.channels(); c++) {
                double[] x = h.series(p.entityId(), c);
                assertThat(Math.abs(SignalStats.mean(x) - p.mean(c)) / p.sigma(c))
                        .isLessThan(0.35);
                assertThat(SignalStats.std(x) / p.sigma(c)).isBetween(0.75, 1.25);
            }
        }
    }

    @Test
    void entitiesDifferInScaleByUpToTenTimes() {
        SensorStreamGenerator g = new SensorStreamGenerator(
                GeneratorConfig.builder().entities(40).anomaliesPerEntity(0).build());
        for (int c = 0; c < 4; c++) {
            int channel = c;
            double[] sigmas =
                    g.profiles().stream().mapToDouble(p -> p.sigma(channel)).toArray();
            double ratio = Arrays.stream(sigmas).max().orElseThrow()
                    / Arrays.stream(sigmas).min().orElseThrow();
            assertThat(ratio)
                    .as("spread of channel %d's scale across entities", c)
                    .isBetween(3.0, 10.0);
        }
    }

    @Test
    void anomalyRateIsConvertedToACountPerEntity() {
        GeneratorConfig config = GeneratorConfig.builder()
                .eventsPerEntity(4_000)
                .anomalyRate(1.5)
                .build();
        assertThat(config.anomaliesPerEntity()).isEqualTo(6);
    }

    @Test
    void invalidConfigsAreRejectedWithAnActionableMessage() {
        assertThatThrownBy(() -> GeneratorConfig.builder()
                        .eventsPerEntity(500)
                        .anomaliesPerEntity(5)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 anomalies per entity need at least 884 events per entity")
                .hasMessageContaining("raise events per entity");
        assertThatThrownBy(() ->
                        GeneratorConfig.builder().channels(List.of("a", "a")).build())
                .hasMessageContaining("channel names must be unique");
        assertThatThrownBy(() ->
                        GeneratorConfig.builder().channels(List.of("a,b", "c")).build())
                .hasMessageContaining("without commas");
        assertThatThrownBy(() -> GeneratorConfig.builder().kinds(Set.of()).build())
                .hasMessageContaining("no anomaly kinds are enabled");
        assertThatThrownBy(() -> GeneratorConfig.builder().intervalMillis(0).build())
                .hasMessageContaining("interval must be at least 1 ms");
        assertThatThrownBy(() -> GeneratorConfig.builder().entities(0).build())
                .hasMessageContaining("entities must be at least 1");
    }

    private static double[][] others(GeneratedStream s, String entity, int c, int a, int b) {
        List<double[]> out = new ArrayList<>();
        for (int o = 0; o < s.generator.channels().size(); o++) {
            if (o != c) {
                out.add(s.series(entity, o, a, b));
            }
        }
        return out.toArray(double[][]::new);
    }

    private static int strongestFastSeasonalChannel(EntityProfile p) {
        int best = 0;
        for (int c = 1; c < p.channels(); c++) {
            if (Math.abs(p.loading(c, EntityProfile.FAST_SEASONAL))
                    > Math.abs(p.loading(best, EntityProfile.FAST_SEASONAL))) {
                best = c;
            }
        }
        return best;
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double median(List<Double> xs) {
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
