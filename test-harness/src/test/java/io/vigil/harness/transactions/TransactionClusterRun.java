package io.vigil.harness.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.transactions.TransactionGenerator.Generated;
import io.vigil.harness.transactions.TransactionGenerator.Incident;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.harness.write.KafkaTransactionWriter;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One run of the transaction pipeline against a real broker, as the MiniCluster ITCase and the
 * standalone E2E case make it: a generated stream (60 accounts, 30 days, card testing, takeovers and
 * velocity bursts at 150 per 1,000 accounts per 30 days), a small model trained in seconds on its
 * fraud-free two-week warm-up and published to a store, the stream and 1% bad records of every kind
 * written to {@code <prefix>-transactions}, and the checks of what the job wrote to {@code <prefix>-scores},
 * {@code -alerts} and {@code -dlq}, read with {@code read_committed}.
 */
public final class TransactionClusterRun {

    static final int WINDOW = 8;
    static final TransactionGeneratorConfig CONFIG = TransactionGeneratorConfig.defaults()
            .withAccounts(60)
            .withDays(30)
            .withMerchants(400)
            .withFraud(150, 150, 150, 0)
            .withSeed(11);

    private final String bootstrapServers;
    private final Path work;
    private final String prefix;
    private final Generated g = TransactionGenerator.generate(CONFIG);
    private KafkaTransactionWriter.Report written;

    public TransactionClusterRun(String bootstrapServers, Path work, String prefix) {
        this.bootstrapServers = bootstrapServers;
        this.work = work;
        this.prefix = prefix;
    }

    /** Trains the model, publishes it (announced on {@code <prefix>-models}) and writes the stream. */
    public void trainAndProduce(String topic) throws Exception {
        trainAndPublish();
        produce(topic, half -> {});
    }

    /** Trains the model on the stream's fraud-free warm-up and publishes it to {@code work/store}. */
    public void trainAndPublish() throws Exception {
        List<TransactionEvent> history = g.before(CONFIG.day(CONFIG.warmupDays())).stream()
                .map(Labelled::tx)
                .toList();
        TransactionHistory h = new TransactionHistory(history, new boolean[history.size()], null, List.of("generator"));
        TrainingConfig tiny = TrainingConfig.builder()
                .modelId(prefix + "-model")
                .version("v1")
                .windowLength(WINDOW)
                .sequenceLength(16)
                .lstmHidden(8)
                .aeHidden(16, 4, 16)
                .maxEpochs(6)
                .patience(2)
                .batchSize(16)
                .lstmLearningRate(2e-2)
                .aeLearningRate(5e-3)
                .warmupEvents(WINDOW)
                .resolveAfter(WINDOW)
                .perKeyNormalisation(false)
                .differenced(List.of())
                .lowerTail(List.of())
                .priorWeight(Integer.parseInt(TransactionDefaults.VALUES.get("--prior-weight")))
                .build();
        Path bundle = work.resolve("bundle");
        new Trainer(tiny, ProgressListener.silent())
                .train(h.featurize(TransactionFeatures.create(false), Duration.ofDays(7))
                        .history())
                .writeTo(bundle);
        new Publisher(PublishOptions.toStore(work.resolve("store"))
                        .withKafka(bootstrapServers)
                        .withTopic(prefix + "-models"))
                .publish(bundle);
    }

    /** Writes the stream with 1% bad records; {@code atHalf} runs once half of it is on the broker. */
    public void produce(String topic, IntConsumer atHalf) {
        try (KafkaTransactionWriter writer = new KafkaTransactionWriter(
                KafkaTransactionWriter.Config.of(bootstrapServers, topic).withGarbage(0.01, 5))) {
            List<Labelled> all = g.transactions();
            for (int i = 0; i < all.size(); i++) {
                writer.accept(all.get(i));
                if (i == all.size() / 2) {
                    writer.flush();
                    atHalf.accept(i + 1);
                }
            }
            written = writer.finish();
        }
        assertThat(written.failedSends()).isZero();
        assertThat(written.transactions()).isEqualTo(g.transactions().size());
        assertThat(written.garbage())
                .allSatisfy((kind, n) -> assertThat(n).as(kind.name()).isPositive());
    }

    /** The job's settings for the transaction pipeline alone on this run's topics and model. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(VigilOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        s.put(VigilOptions.MODEL_STORE.key(), work.resolve("store").toString());
        s.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), prefix + "-models");
        s.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        s.put(VigilOptions.GROUP_ID.key(), "vigil-" + prefix);
        s.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), "vigil-" + prefix);
        s.put(VigilOptions.STREAMS.key(), "transactions");
        s.put(VigilOptions.TX_MODEL_ID.key(), prefix + "-model");
        s.put(VigilOptions.TX_TOPIC_INPUT.key(), prefix + "-transactions");
        s.put(VigilOptions.TX_TOPIC_ALERTS.key(), prefix + "-alerts");
        s.put(VigilOptions.TX_TOPIC_SCORES.key(), prefix + "-scores");
        s.put(VigilOptions.TX_TOPIC_DEAD_LETTER.key(), prefix + "-dlq");
        s.put("execution.checkpointing.interval", "500ms");
        s.put("restart-strategy.type", "fixed-delay");
        s.put("restart-strategy.fixed-delay.attempts", "5");
        s.put("restart-strategy.fixed-delay.delay", "500ms");
        return s;
    }

    /** {@link #settings()} and {@code extra} as {@code flink run} arguments. */
    public List<String> jobArgs(List<String> extra) {
        List<String> args = new ArrayList<>();
        settings().forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        args.addAll(extra);
        return args;
    }

    /** Scores expected from the job: each account's transactions but its first W - 1 (its window filling). */
    public long expectedScores() {
        Map<String, Long> perAccount = new HashMap<>();
        g.transactions().forEach(l -> perAccount.merge(l.tx().accountId(), 1L, Long::sum));
        return perAccount.values().stream()
                .mapToLong(n -> Math.max(0, n - WINDOW + 1))
                .sum();
    }

    /**
     * Waits for the dead letters, then checks everything the job wrote: one score per scored transaction,
     * each alert record once, about a transaction of the stream, each OPEN explained in words; 75% or more
     * of the card-testing, takeover and velocity incidents alerted, fewer than 1 in 40 genuine transactions
     * after the warm-up opening an alert; every bad record dead-lettered with its reason.
     */
    public void check() throws java.io.IOException {
        CommittedRecords.await(bootstrapServers, prefix + "-dlq", written.garbageTotal(), Duration.ofSeconds(60));
        Map<String, Labelled> byId = new HashMap<>();
        g.transactions().forEach(l -> byId.put(l.tx().transactionId(), l));
        var scoreDecoder = WireFormat.decoder(EventScore.class);
        Map<String, EventScore> scores = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> rec : CommittedRecords.read(bootstrapServers, prefix + "-scores")) {
            EventScore s = scoreDecoder.decode(rec.value());
            assertThat(byId).containsKey(s.getEventId());
            assertThat(scores.put(s.getEventId(), s))
                    .as("score of %s seen once", s.getEventId())
                    .isNull();
        }
        assertThat((long) scores.size()).isEqualTo(expectedScores());

        var alertDecoder = WireFormat.decoder(Alert.class);
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : CommittedRecords.read(bootstrapServers, prefix + "-alerts")) {
            alerts.add(alertDecoder.decode(rec.value()));
        }
        assertThat(alerts.stream().map(a -> a.getAlertId() + "/" + a.getStatus() + "/" + a.getEventId()))
                .doesNotHaveDuplicates();
        // every record is about a transaction of the stream, but for an alert resolved because its account went
        // silent (at the end of a bounded input the state of every account expires): that one has no transaction
        Set<String> accounts =
                g.transactions().stream().map(l -> l.tx().accountId()).collect(Collectors.toSet());
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getStreamKind()).isEqualTo(StreamKind.TRANSACTION);
            if (a.getEventId() == null) {
                assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED);
                assertThat(a.getResolution()).isEqualTo("expired");
                assertThat(accounts).contains(a.getEntityId());
            } else {
                assertThat(byId).containsKey(a.getEventId());
                assertThat(a.getEntityId())
                        .isEqualTo(byId.get(a.getEventId()).tx().accountId());
            }
        });
        assertThat(alerts.stream().filter(a -> a.getStatus() == AlertStatus.OPEN))
                .allSatisfy(a -> assertThat(a.getExplanation()).isNotEmpty());

        Map<FraudPattern, int[]> found = alerted(scores);
        long warmupEnd = CONFIG.day(CONFIG.warmupDays()).toEpochMilli();
        long genuine = g.transactions().stream()
                .filter(l ->
                        !l.fraud() && l.tx().eventTime() >= warmupEnd && scores.containsKey(l.tx().transactionId()))
                .count();
        long falseOpens = alerts.stream()
                .filter(a -> a.getStatus() == AlertStatus.OPEN
                        && !byId.get(a.getEventId()).fraud())
                .count();
        System.out.println(prefix + ": incidents alerted / injected "
                + found.entrySet().stream()
                        .map(e -> e.getKey().label() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                        .collect(Collectors.joining(", "))
                + "; " + alerts.size() + " alert records, " + scores.size()
                + " scores, " + written.garbageTotal() + " bad records; " + falseOpens + " alerts opened by genuine"
                + " transactions of " + genuine + " scored after the warm-up");
        assertThat(found)
                .containsOnlyKeys(
                        FraudPattern.CARD_TESTING, FraudPattern.ACCOUNT_TAKEOVER, FraudPattern.VELOCITY_BURST);
        found.forEach((p, n) -> assertThat((double) n[0] / n[1])
                .as(p.label() + " incidents alerted")
                .isGreaterThanOrEqualTo(0.75));
        // this small model, trained in seconds, opens 46 alerts on the 2,748 genuine transactions of the stream
        assertThat((double) falseOpens / genuine).isLessThan(0.025);

        List<ConsumerRecord<byte[], byte[]>> dead = CommittedRecords.read(bootstrapServers, prefix + "-dlq");
        assertThat((long) dead.size()).isEqualTo(written.garbageTotal());
        Map<String, Long> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            reasons.merge(
                    new String(d.headers().lastHeader(KafkaIO.HEADER_REASON).value(), StandardCharsets.UTF_8),
                    1L,
                    Long::sum);
        }
        Map<String, Long> expectedReasons = new HashMap<>();
        written.garbage().forEach((kind, n) -> expectedReasons.merge(kind.reason(), n, Long::sum));
        assertThat(reasons).isEqualTo(expectedReasons);
    }

    /**
     * Per pattern (compromised merchants left out: invisible per account by design), {incidents alerted,
     * incidents}: alerted when an alert of the account is open after one of the incident's transactions.
     */
    private Map<FraudPattern, int[]> alerted(Map<String, EventScore> scores) {
        Map<FraudPattern, int[]> found = new EnumMap<>(FraudPattern.class);
        for (Incident i : g.incidents()) {
            if (i.pattern() == FraudPattern.COMPROMISED_MERCHANT) {
                continue;
            }
            boolean alerted = g.transactions().stream()
                    .filter(l -> l.pattern() == i.pattern()
                            && l.tx().accountId().equals(i.subject())
                            && l.tx().eventTime() >= i.start().toEpochMilli()
                            && l.tx().eventTime() <= i.end().toEpochMilli())
                    .map(l -> scores.get(l.tx().transactionId()))
                    .anyMatch(s -> s != null && s.getAnomalous());
            int[] n = found.computeIfAbsent(i.pattern(), p -> new int[2]);
            n[0] += alerted ? 1 : 0;
            n[1]++;
        }
        return found;
    }
}
