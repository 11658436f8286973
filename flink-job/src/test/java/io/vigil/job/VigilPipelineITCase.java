package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.config.InProcessCluster;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.Envelope;
import io.vigil.job.io.EventTimeWatermarks;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.job.operator.ScoringSettings;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.bundle.ScoringModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a Flink MiniCluster at parallelism 2: decoding, event-time release, keyed
 * state, batched scoring, alerts, dead letters. The distributed, batched result must equal scoring
 * every key alone, one event at a time, with the same shared {@link Scorer}.
 */
class VigilPipelineITCase {

    private static final int PARALLELISM = 2;
    private static final int KEYS = 12;
    private static final int EVENTS = 150;
    private static final long STEP = 1_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .setConfiguration(loopback())
            .build());

    @TempDir
    Path tmp;

    @Test
    void scoresEveryKeyAsIfAloneAndDeadLettersGarbageWithoutStopping() throws Exception {
        Path store = tmp.resolve("store");
        ScoringModel model = TestBundles.publish(store, tmp, "v1", 5, 5);
        Random r = new Random(8);
        List<Envelope> input = new ArrayList<>();
        Map<String, List<double[]>> byKey = new HashMap<>();
        for (int t = 0; t < EVENTS; t++) {
            for (int k = 0; k < KEYS; k++) {
                double[] row = TestBundles.normalRow(r, t);
                if (k % 3 == 0 && t >= 100 && t < 104) {
                    row[1] += 25 * 2; // keys 0, 3, 6, 9: channel 1 (std 2) jumps 25 sigma for 4 events
                }
                String key = "key-" + k;
                byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(row);
                input.add(Envelope.of(new SensorEvent(key, (t + 1) * STEP, row, 0, 0, t)));
            }
            if (t % 50 == 7) {
                input.add(Envelope.dead(new DeadLetter(
                        null, new byte[] {9, 9}, DeadLetter.UNDECODABLE, "garbage", "readings", 0, t, 0)));
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(500);
        DataStream<Envelope> readings = env.fromData(input)
                .assignTimestampsAndWatermarks(
                        EventTimeWatermarks.strategy(Duration.ofMillis(500), Duration.ofSeconds(5)));
        // an announcement of another model: the operator must ignore it
        DataStream<ModelUpdate> updates = env.fromData(
                List.of(new ModelUpdate("other-model", "v7", "file:///nowhere", "0".repeat(64), 1L)),
                TypeInformation.of(ModelUpdate.class));
        CollectingSink<KafkaMessage> alerts = new CollectingSink<>("alerts");
        CollectingSink<KafkaMessage> scores = new CollectingSink<>("scores");
        CollectingSink<DeadLetter> dead = new CollectingSink<>("dead");
        ScoringSettings settings = new ScoringSettings(
                new ModelSource(store.toString(), "test-model"),
                "v1",
                model.features(),
                Scorer.Settings.defaults(),
                Duration.ofHours(1),
                true);
        VigilJob.buildPipeline(readings, updates, new VigilJob.Sinks(alerts, scores, dead), settings);
        env.execute("pipeline-it");

        // every key's scores, in event-time order, equal the single-key sequential reference
        Map<String, List<EventScore>> got = scores.received().stream()
                .map(m -> decode(EventScore.class, m.value))
                .collect(Collectors.groupingBy(EventScore::getEntityId));
        assertThat(got).hasSize(KEYS);
        try (Scorer reference = new Scorer(model, Scorer.Settings.defaults())) {
            for (Map.Entry<String, List<double[]>> e : byKey.entrySet()) {
                KeyState s = reference.newState(e.getKey());
                List<Double> expected = new ArrayList<>();
                for (double[] row : e.getValue()) {
                    reference.score(
                            1,
                            new String[] {e.getKey()},
                            new KeyState[] {s},
                            new double[][] {row},
                            new long[] {0},
                            (i, v) -> {
                                if (v.scored()) {
                                    expected.add(v.score());
                                }
                            });
                }
                List<EventScore> actual = got.get(e.getKey());
                assertThat(actual).isSortedAccordingTo(Comparator.comparing(EventScore::getEventTime));
                assertThat(actual).extracting(EventScore::getScore).containsExactlyElementsOf(expected);
            }
        }
        assertThat(scores.received()).hasSize(KEYS * (EVENTS - TestBundles.WINDOW + 1));

        // the spiked keys alert during their spike, each alert id opens once
        List<Alert> all = alerts.received().stream()
                .map(m -> decode(Alert.class, m.value))
                .toList();
        Set<String> opened = all.stream()
                .filter(a -> a.getStatus() == AlertStatus.OPEN)
                .filter(a -> a.getEventTime().toEpochMilli() >= 101 * STEP
                        && a.getEventTime().toEpochMilli() <= 104 * STEP)
                .map(Alert::getEntityId)
                .collect(Collectors.toSet());
        assertThat(opened).containsExactlyInAnyOrder("key-0", "key-3", "key-6", "key-9");
        assertThat(all.stream().filter(a -> a.getStatus() == AlertStatus.OPEN).map(Alert::getAlertId))
                .doesNotHaveDuplicates();

        // garbage went to the dead-letter sink and scoring carried on
        assertThat(dead.received()).hasSize(3).allMatch(d -> d.reason.equals(DeadLetter.UNDECODABLE));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T decode(Class<T> type, byte[] bytes) {
        try {
            return WireFormat.decoder(type).decode(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Configuration loopback() {
        Configuration c = InProcessCluster.loopback();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return c;
    }
}
