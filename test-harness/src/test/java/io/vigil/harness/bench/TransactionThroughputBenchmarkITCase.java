package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.transactions.TransactionGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction benchmark in miniature (80 accounts over 16 days, one repeat): broker, the transaction
 * model trained as train-transactions trains it, both transaction variants on their own MiniCluster, exact
 * output counts, the ratio to the transaction pass-through, the report. Checks the wiring, never the speed.
 */
class TransactionThroughputBenchmarkITCase {

    /**
     * Enough accounts for the trainer to validate on: it holds out each account's newest fifth of the 14
     * fraud-free days, and only accounts making about 6 transactions a day or more fill a window of 16 there.
     */
    private static final int ACCOUNTS = 80;

    @TempDir
    Path dir;

    @Test
    void bothVariantsTakeEveryGeneratedTransactionThroughAndAreComparedWithEachOther() throws Exception {
        Path output = dir.resolve("bench/transactions.md");
        BenchmarkSettings settings = new BenchmarkSettings(
                ACCOUNTS,
                BenchmarkSettings.DEFAULT_EVENTS_PER_KEY,
                BenchmarkSettings.DEFAULT_CHANNELS,
                2,
                2,
                1,
                BenchmarkStream.TRANSACTIONS.variants(),
                0,
                Duration.ofMillis(500),
                BenchmarkSettings.DEFAULT_JOB_OPTIONS,
                BenchmarkSettings.DEFAULT_HISTORY_EVENTS_PER_KEY,
                1,
                3,
                output,
                BenchmarkStream.TRANSACTIONS,
                16);
        long generated = TransactionGenerator.generate(WorkloadPreparer.transactionConfig(settings))
                .transactions()
                .size();
        StringWriter log = new StringWriter();
        BenchmarkReport report = ThroughputBenchmark.run(
                settings, "benchmark --stream transactions --keys " + ACCOUNTS, new PrintWriter(log, true));

        assertThat(report.runs()).extracting(RunResult::variant).containsExactly("tx-passthrough", "tx-vigil");
        RunResult pass = report.runs().get(0);
        RunResult vigil = report.runs().get(1);
        assertThat(generated).isGreaterThan(1_000);
        assertThat(pass.inputEvents()).isEqualTo(generated);
        assertThat(vigil.inputEvents()).isEqualTo(generated);
        assertThat(pass.records()).isEqualTo(generated); // one record per transaction, each committed once
        assertThat(pass.alerts()).isZero();
        assertThat(vigil.records()).isZero(); // alerts only, as the job runs by default
        assertThat(vigil.processedEvents()).isLessThanOrEqualTo(generated);
        if (!Double.isNaN(pass.eventsPerSecond())) {
            // the transaction variants are compared with the transaction pass-through, not the sensors'
            assertThat(report.variants().get(0).ratioToPassthrough()).isEqualTo(1.0);
        }
        assertThat(Files.readString(output))
                .contains("| tx-vigil |")
                .contains(String.format(
                        java.util.Locale.ROOT, "%,d card transactions of %d accounts", generated, ACCOUNTS));
    }
}
