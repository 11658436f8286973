package io.vigil.harness.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.LocalFlink;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.pipeline.ItJobSettings;
import io.vigil.harness.transactions.TransactionGenerator.Generated;
import io.vigil.harness.transactions.TransactionGenerator.Incident;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.harness.write.KafkaTransactionWriter;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.io.KafkaIO;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.StreamKind;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.cli.TransactionDefaults;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's transaction pipeline against a real Kafka broker on a MiniCluster of two TaskManagers:
 * generated transactions with injected fraud and bad records of every kind in (written by the harness's
 * writer, as a payment system would), one TaskManager stopped mid-stream. A {@code read_committed}
 * consumer must see one score per scored transaction and every alert record exactly once, every bad
 * record dead-lettered with its reason, and the per-account frauds (card testing, takeovers, velocity
 * bursts) alerted. A compromised merchant is invisible to per-account features by design (each of its
 * transactions is normal for its account), so this model, without confirmed-fraud feedback, is not
 * asked to find it.
 */
class TransactionPipelineKafkaITCase {

    private static final int WINDOW = 8;
    private static final TransactionGeneratorConfig CONFIG = TransactionGeneratorConfig.defaults().withAccounts(60)
            .withDays(30).withMerchants(400).withFraud(150, 150, 150, 0).withSeed(11);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(1).setConfiguration(LocalFlink.loopback("0"))
            .build());

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        kafka.createTopic("transactions", 2, Map.of());
        kafka.createTopic("tx-alerts", 2, Map.of());
        kafka.createTopic("tx-scores", 2, Map.of());
        kafka.createTopic("tx-dead-letter", 1, Map.of());
        kafka.createTopic("model-updates", 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void fraudsAlertedExactlyOnceThroughATaskManagerFailureWithBadRecordsDeadLettered(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Generated g = TransactionGenerator.generate(CONFIG);
        long warmupEnd = CONFIG.day(CONFIG.warmupDays()).toEpochMilli();

        // a small model trained here on the fraud-free first two weeks, published to a store
        List<TransactionEvent> history = g.before(CONFIG.day(CONFIG.warmupDays())).stream().map(Labelled::tx).toList();
        TransactionHistory h = new TransactionHistory(history, new boolean[history.size()], null, List.of("generator"));
        TrainingConfig tiny = TrainingConfig.builder().modelId("it-transactions").version("v1").windowLength(WINDOW)
                .sequenceLength(16).lstmHidden(8).aeHidden(16, 4, 16).maxEpochs(6).patience(2).batchSize(16)
                .lstmLearningRate(2e-2).aeLearningRate(5e-3).warmupEvents(WINDOW).resolveAfter(WINDOW)
                .perKeyNormalisation(false).differenced(List.of()).lowerTail(List.of())
                .priorWeight(Integer.parseInt(TransactionDefaults.VALUES.get("--prior-weight"))).build();
        Path bundle = tmp.resolve("bundle");
        new Trainer(tiny, ProgressListener.silent())
                .train(h.featurize(TransactionFeatures.create(false), Duration.ofDays(7)).history()).writeTo(bundle);
        Path store = tmp.resolve("store");
        new Publisher(PublishOptions.toStore(store).withKafka(kafka.bootstrapServers()).withTopic("model-updates"))
                .publish(bundle);

        // the real job with only the transaction pipeline
        Map<String, String> settings = ItJobSettings.of(kafka.bootstrapServers(), store, "vigil-tx-it");
        settings.put(VigilOptions.STREAMS.key(), "transactions");
        settings.put(VigilOptions.TX_MODEL_ID.key(), "it-transactions");
        settings.put(VigilOptions.TX_TOPIC_INPUT.key(), "transactions");
        settings.put(VigilOptions.TX_TOPIC_ALERTS.key(), "tx-alerts");
        settings.put(VigilOptions.TX_TOPIC_SCORES.key(), "tx-scores");
        settings.put(VigilOptions.TX_TOPIC_DEAD_LETTER.key(), "tx-dead-letter");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        JobClient job = env.executeAsync("vigil-transactions-it");

        // every account is scored once its window is full: all its transactions but the first W - 1
        Map<String, Long> perAccount = g.transactions().stream().collect(Collectors.groupingBy(l -> l.tx().accountId(),
                Collectors.counting()));
        long expectedScores = perAccount.values().stream().mapToLong(n -> Math.max(0, n - WINDOW + 1)).sum();
        KafkaTransactionWriter.Report written;
        try (KafkaTransactionWriter writer = new KafkaTransactionWriter(
                KafkaTransactionWriter.Config.of(kafka.bootstrapServers(), "transactions").withGarbage(0.01, 5))) {
            List<Labelled> all = g.transactions();
            for (int i = 0; i < all.size(); i++) {
                writer.accept(all.get(i));
                if (i == all.size() / 2) {
                    writer.flush();
                    CommittedRecords.await(kafka.bootstrapServers(), "tx-scores", expectedScores / 4,
                            Duration.ofSeconds(120));
                    cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
                    cluster.startTaskManager();
                }
            }
            written = writer.finish();
        }
        assertThat(written.failedSends()).isZero();
        assertThat(written.transactions()).isEqualTo(g.transactions().size());
        assertThat(written.garbage()).allSatisfy((kind, n) -> assertThat(n).as(kind.name()).isPositive());
        CommittedRecords.await(kafka.bootstrapServers(), "tx-scores", expectedScores, Duration.ofSeconds(180));
        CommittedRecords.await(kafka.bootstrapServers(), "tx-dead-letter", written.garbageTotal(), Duration.ofSeconds(30));
        Thread.sleep(1500); // a checkpoint more: anything duplicated would be committed by now
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted after the TaskManager stopped").isPositive();
        job.cancel().get(30, TimeUnit.SECONDS);

        // one score per scored transaction, none lost, none twice
        Map<String, Labelled> byId = new HashMap<>();
        g.transactions().forEach(l -> byId.put(l.tx().transactionId(), l));
        var scoreDecoder = WireFormat.decoder(EventScore.class);
        Map<String, EventScore> scores = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : readAll("tx-scores")) {
            EventScore s = scoreDecoder.decode(rec.value());
            assertThat(byId).containsKey(s.getEventId());
            assertThat(scores.put(s.getEventId(), s)).as("score of %s seen once", s.getEventId()).isNull();
        }
        assertThat((long) scores.size()).isEqualTo(expectedScores);

        // every alert record once, each about a transaction of the stream, explained in words
        var alertDecoder = WireFormat.decoder(Alert.class);
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : readAll("tx-alerts")) {
            alerts.add(alertDecoder.decode(rec.value()));
        }
        assertThat(alerts.stream().map(a -> a.getAlertId() + "/" + a.getStatus() + "/" + a.getEventId()))
                .doesNotHaveDuplicates();
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getStreamKind()).isEqualTo(StreamKind.TRANSACTION);
            assertThat(byId).containsKey(a.getEventId());
            assertThat(a.getEntityId()).isEqualTo(byId.get(a.getEventId()).tx().accountId());
        });
        assertThat(alerts.stream().filter(a -> a.getStatus() == AlertStatus.OPEN))
                .allSatisfy(a -> assertThat(a.getExplanation()).isNotEmpty());

        // the per-account frauds alerted: an alert of the account open after one of the incident's transactions
        Map<FraudPattern, int[]> found = new EnumMap<>(FraudPattern.class);
        for (Incident i : g.incidents()) {
            if (i.pattern() == FraudPattern.COMPROMISED_MERCHANT) {
                continue;
            }
            boolean alerted = g.transactions().stream().filter(l -> l.pattern() == i.pattern()
                    && l.tx().accountId().equals(i.subject()) && l.tx().eventTime() >= i.start().toEpochMilli()
                    && l.tx().eventTime() <= i.end().toEpochMilli())
                    .map(l -> scores.get(l.tx().transactionId())).anyMatch(s -> s != null && s.getAnomalous());
            int[] n = found.computeIfAbsent(i.pattern(), p -> new int[2]);
            n[0] += alerted ? 1 : 0;
            n[1]++;
        }
        System.out.println("transaction pipeline IT: incidents alerted / injected " + found.entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                .collect(Collectors.joining(", ")) + "; " + alerts.size() + " alert records, " + scores.size()
                + " scores, " + written.garbageTotal() + " bad records");
        assertThat(found).containsOnlyKeys(FraudPattern.CARD_TESTING, FraudPattern.ACCOUNT_TAKEOVER,
                FraudPattern.VELOCITY_BURST);
        found.forEach((p, n) -> assertThat((double) n[0] / n[1]).as(p.label() + " incidents alerted")
                .isGreaterThanOrEqualTo(0.75));
        // and few alerts opened by genuine transactions: under 1 in 40 of those scored after the warm-up (this
        // small model, trained here in seconds, opens 46 on the 2,748 of this stream)
        long genuine = g.transactions().stream().filter(l -> !l.fraud() && l.tx().eventTime() >= warmupEnd
                && scores.containsKey(l.tx().transactionId())).count();
        long falseOpens = alerts.stream().filter(a -> a.getStatus() == AlertStatus.OPEN
                && !byId.get(a.getEventId()).fraud()).count();
        System.out.println("transaction pipeline IT: " + falseOpens + " alerts opened by genuine transactions of "
                + genuine + " scored after the warm-up");
        assertThat((double) falseOpens / genuine).isLessThan(0.025);

        // every bad record in the dead-letter topic, its bytes unchanged, with its reason
        List<ConsumerRecord<byte[], byte[]>> dead = readAll("tx-dead-letter");
        assertThat((long) dead.size()).isEqualTo(written.garbageTotal());
        Map<String, Long> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            reasons.merge(new String(d.headers().lastHeader(KafkaIO.HEADER_REASON).value(), StandardCharsets.UTF_8), 1L,
                    Long::sum);
        }
        Map<String, Long> expectedReasons = new HashMap<>();
        written.garbage().forEach((kind, n) -> expectedReasons.merge(kind.reason(), n, Long::sum));
        assertThat(reasons).isEqualTo(expectedReasons);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return CommittedRecords.read(kafka.bootstrapServers(), topic);
    }
}
