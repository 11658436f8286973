package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each variant reads and must write, the generated workload's shape, and thread roles. */
class WorkloadTest {

    private static final BenchmarkModel MODEL = new BenchmarkModel(
            Path.of("store"), "m", "v", "file:///store/m/v", 16, 32, List.of(32, 8, 32), 2, 200, 1.0);

    @Test
    void whatEachVariantReadsAndWritesToTheScoresTopic() {
        Workload w = new Workload(
                "127.0.0.1:9092",
                "big",
                4,
                1_000,
                300,
                List.of("a", "b"),
                1_000,
                "small",
                66,
                "updates",
                MODEL,
                1.0,
                BenchmarkStream.SENSORS,
                300_000);
        assertThat(w.expectedScoreRecords(JobVariant.PASSTHROUGH)).isEqualTo(300_000);
        assertThat(w.expectedScoreRecords(JobVariant.VIGIL_SCORES)).isEqualTo(285_000);
        assertThat(w.expectedScoreRecords(JobVariant.VIGIL)).isZero(); // alerts only, as in production
        assertThat(w.expectedScoreRecords(JobVariant.VIGIL_DL4J)).isZero();
        assertThat(w.expectedScoreRecords(JobVariant.NAIVE)).isZero();
        assertThat(w.inputEvents(JobVariant.VIGIL)).isEqualTo(300_000);
        assertThat(w.inputTopic(JobVariant.NAIVE)).isEqualTo("small");
        assertThat(w.inputTopic(JobVariant.VIGIL)).isEqualTo("big");
        assertThat(w.inputEvents(JobVariant.NAIVE)).isEqualTo(19_800);
    }

    @Test
    void aTransactionWorkloadIsReadWholeByBothItsVariantsAndComparedWithItsOwnPassThrough() {
        Workload w = new Workload(
                "127.0.0.1:9092",
                "tx",
                4,
                1_000,
                0,
                List.of("f"),
                12,
                "",
                0,
                "updates",
                MODEL,
                1.0,
                BenchmarkStream.TRANSACTIONS,
                123_457);
        assertThat(w.inputEvents(JobVariant.TX_PASSTHROUGH)).isEqualTo(123_457);
        assertThat(w.inputEvents(JobVariant.TX_VIGIL)).isEqualTo(123_457);
        assertThat(w.inputTopic(JobVariant.TX_VIGIL)).isEqualTo("tx");
        assertThat(w.expectedScoreRecords(JobVariant.TX_PASSTHROUGH)).isEqualTo(123_457); // one per transaction
        assertThat(w.expectedScoreRecords(JobVariant.TX_VIGIL)).isZero(); // alerts only
        assertThat(BenchmarkStream.TRANSACTIONS.variants())
                .containsExactly(JobVariant.TX_PASSTHROUGH, JobVariant.TX_VIGIL);
        assertThat(BenchmarkStream.SENSORS.variants()).doesNotContain(JobVariant.TX_PASSTHROUGH, JobVariant.TX_VIGIL);
        assertThat(BenchmarkStream.TRANSACTIONS.passThrough()).isEqualTo(JobVariant.TX_PASSTHROUGH);
        assertThat(JobVariant.TX_PASSTHROUGH.scores()).isFalse();
        assertThat(JobVariant.TX_PASSTHROUGH.progressMetric().test("numRecordsIn"))
                .isTrue();
        assertThat(JobVariant.TX_VIGIL
                        .progressMetric()
                        .test("score_transactions_(LSTM_+_autoencoder).vigil.events_scored_total"))
                .isTrue();
        // the tasks measured are the transaction pipeline's, never the sensor pipeline's of the same job
        assertThat(JobVariant.TX_VIGIL.progressVertex()).isNotEqualTo(JobVariant.VIGIL.progressVertex());
        assertThat("score (LSTM + autoencoder)").doesNotContain(JobVariant.TX_VIGIL.progressVertex());
        assertThat(PassThroughJob.ENCODE).doesNotContain(JobVariant.TX_PASSTHROUGH.progressVertex());
    }

    @Test
    void theTransactionWorkloadIsTheGeneratorsSeededAccountsAndTrainsOnFraudFreeDaysOfTheFirstAccounts() {
        BenchmarkSettings s = new BenchmarkSettings(
                40,
                300,
                8,
                4,
                2,
                1,
                BenchmarkStream.TRANSACTIONS.variants(),
                0,
                java.time.Duration.ofSeconds(2),
                BenchmarkSettings.DEFAULT_JOB_OPTIONS,
                400,
                1,
                5,
                Path.of("t.md"),
                BenchmarkStream.TRANSACTIONS,
                20);
        var config = WorkloadPreparer.transactionConfig(s);
        assertThat(config.accounts()).isEqualTo(40);
        assertThat(config.days()).isEqualTo(20);
        assertThat(config.seed()).isEqualTo(5);
        var generated = io.vigil.harness.transactions.TransactionGenerator.generate(config);
        var history = WorkloadPreparer.trainingHistory(generated);
        long fraudFrom = config.day(config.warmupDays()).toEpochMilli();
        assertThat(history)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.eventTime()).isLessThan(fraudFrom));
        assertThat(generated.transactions())
                .anySatisfy(l -> assertThat(l.fraud()).isTrue());
        // every normal transaction before the fraud starts (40 accounts: fewer than the training cap)
        assertThat(history).hasSize((int) generated.before(config.day(config.warmupDays())).stream()
                .filter(l -> !l.fraud())
                .count());
    }

    @Test
    void generatedStreamHasTheSettingsShapeWithAnomaliesWhereTheyFit() {
        var config = WorkloadPreparer.generatorConfig(BenchmarkSettings.defaults());
        assertThat(config.entities()).isEqualTo(1_000);
        assertThat(config.eventsPerEntity()).isEqualTo(300);
        assertThat(config.channels()).hasSize(8).startsWith("ch01").endsWith("ch08");
        assertThat(config.anomaliesPerEntity()).isEqualTo(1); // warm-up 64 + one window of up to 100 + gap 64
        assertThat(WorkloadPreparer.anomaliesPerKey(100)).isZero();
        assertThat(WorkloadPreparer.anomaliesPerKey(10_000)).isEqualTo(5);
    }

    @Test
    void variantsParseByTheirCommandLineNames() {
        assertThat(JobVariant.parse(" Vigil-DL4J ")).isEqualTo(JobVariant.VIGIL_DL4J);
        assertThat(JobVariant.NAIVE.settings())
                .containsEntry("scoring.max-batch", "1")
                .containsEntry("scoring.engine", "dl4j");
        assertThat(JobVariant.PASSTHROUGH.scores()).isFalse();
        assertThat(JobVariant.PASSTHROUGH.writesScores()).isTrue();
        assertThat(JobVariant.VIGIL.writesScores()).isFalse();
        assertThat(JobVariant.VIGIL_SCORES.writesScores()).isTrue();
        assertThat(JobVariant.PASSTHROUGH.progressMetric().test("numRecordsIn")).isTrue();
        assertThat(JobVariant.VIGIL.progressMetric().test("score_(LSTM_+_autoencoder).vigil.events_scored_total"))
                .isTrue();
        assertThat(JobVariant.VIGIL.progressMetric().test("numRecordsIn")).isFalse();
    }

    @Test
    void threadRolesFromFlinkAndKafkaThreadNames() {
        assertThat(ThreadRoles.of("Source: readings -> decode + validate (1/2)#0"))
                .isEqualTo(ThreadRoles.SOURCE);
        assertThat(ThreadRoles.of("Source Data Fetcher for Source: readings (2/2)#0"))
                .isEqualTo(ThreadRoles.SOURCE);
        assertThat(ThreadRoles.of("Source Data Fetcher for Source: model-updates (1/2)#0"))
                .isEqualTo(ThreadRoles.MODEL_UPDATES);
        assertThat(ThreadRoles.of("score (LSTM + autoencoder) -> (alerts: Writer -> alerts: Committer) (2/2)#0"))
                .isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.of("score transactions (LSTM + autoencoder) -> transaction alerts: Writer (1/2)#0"))
                .isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.of("account features (2/2)#0")).isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.of("encode (no scoring) -> scores: Writer -> scores: Committer (1/2)#0"))
                .isEqualTo(ThreadRoles.ENCODE);
        assertThat(ThreadRoles.of("dead letters: Writer -> dead letters: Committer (1/2)#0"))
                .isEqualTo(ThreadRoles.OTHER_TASKS);
        assertThat(ThreadRoles.of("kafka-producer-network-thread | producer-bench-01-scores-0-1"))
                .isEqualTo(ThreadRoles.PRODUCER_IO);
        assertThat(ThreadRoles.of("data-plane-kafka-request-handler-3")).isEqualTo(ThreadRoles.BROKER);
        assertThat(ThreadRoles.of("flink-pekko.actor.default-dispatcher-4")).isEqualTo(ThreadRoles.FLINK_RUNTIME);
        assertThat(ThreadRoles.of("main")).isEqualTo(ThreadRoles.METER);
        assertThat(ThreadRoles.of("DeallocatorServiceThread_1")).isEqualTo(ThreadRoles.DEALLOCATORS);
        assertThat(ThreadRoles.of("AsyncOperations-thread-1")).isEqualTo(ThreadRoles.CHECKPOINTING);
        // threads of another process, by the 15 characters of their names Linux keeps
        assertThat(ThreadRoles.ofLinuxName("score (LSTM + a")).isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.ofLinuxName("score transacti")).isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.ofLinuxName("account feature")).isEqualTo(ThreadRoles.SCORING);
        assertThat(ThreadRoles.ofLinuxName("encode (no scor")).isEqualTo(ThreadRoles.ENCODE);
        assertThat(ThreadRoles.ofLinuxName("Source: reading")).isEqualTo(ThreadRoles.SOURCE);
        assertThat(ThreadRoles.ofLinuxName("C2 CompilerThre")).isEqualTo(ThreadRoles.JIT);
        assertThat(ThreadRoles.ofLinuxName("GC Thread#1")).isEqualTo(ThreadRoles.GC);
        assertThat(ThreadRoles.ofLinuxName("G1 Conc#0")).isEqualTo(ThreadRoles.GC);
        assertThat(ThreadRoles.ofLinuxName("kafka-producer-")).isEqualTo(ThreadRoles.PRODUCER_IO);
        assertThat(ThreadRoles.ofLinuxName("rocksdb:low")).isEqualTo(ThreadRoles.ROCKSDB);
        assertThat(ProcessResources.threadCpuNanosOf(ProcessHandle.current().pid())
                        .keySet())
                .anySatisfy(thread -> assertThat(ThreadRoles.ofLinuxName(thread.substring(thread.indexOf(' ') + 1)))
                        .isEqualTo(ThreadRoles.JIT)); // this JVM's own compiler threads, read from /proc
        assertThat(ProcessResources.parseKilobytes("   123456 kB")).isEqualTo(123_456);
        assertThat(ProcessResources.parseBusyTicks("cpu  100 5 20 900 7 3 2 0 0 0"))
                .isEqualTo(130);
    }
}
