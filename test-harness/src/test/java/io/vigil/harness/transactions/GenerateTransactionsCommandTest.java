package io.vigil.harness.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate-transactions}: the files it writes, what it says about them, and its usage errors. */
class GenerateTransactionsCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void writesTheCsvAndTheTruthOfTheStreamTheGeneratorMakes(@TempDir Path dir) throws Exception {
        CliRun r = run(
                "generate-transactions",
                "--accounts",
                "50",
                "--days",
                "30",
                "--merchants",
                "300",
                "--seed",
                "4",
                "--csv",
                dir.resolve("tx.csv").toString(),
                "--truth",
                dir.resolve("truth.json").toString());

        TransactionGenerator.Generated g = TransactionGenerator.generate(TransactionGeneratorConfig.defaults()
                .withAccounts(50)
                .withDays(30)
                .withMerchants(300)
                .withSeed(4));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(String.format(
                        "generated %,d transactions of 50 accounts",
                        g.transactions().size()))
                .contains(String.format(
                        "%,d fraud in %d incidents", g.frauds(), g.incidents().size()));
        // a header and one line per transaction
        assertThat(Files.readAllLines(dir.resolve("tx.csv")))
                .hasSize(g.transactions().size() + 1)
                .first()
                .isEqualTo(TransactionFiles.COLUMNS);
        assertThat(Files.readString(dir.resolve("truth.json"))).contains(TransactionFiles.FORMAT);
    }

    @Test
    void refusesToWriteNothingAndHalfAKafkaDestination(@TempDir Path dir) {
        CliRun nothing = run("generate-transactions", "--accounts", "5");
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err())
                .contains("Nothing to write: give --csv, --truth, or --topic with --bootstrap-servers");

        CliRun half = run(
                "generate-transactions",
                "--topic",
                "tx",
                "--csv",
                dir.resolve("x.csv").toString());
        assertThat(half.code()).isEqualTo(2);
        assertThat(half.err()).contains("--bootstrap-servers and --topic go together");

        CliRun labels = run(
                "generate-transactions",
                "--labels-topic",
                "labels",
                "--csv",
                dir.resolve("x.csv").toString());
        assertThat(labels.code()).isEqualTo(2);
        assertThat(labels.err()).contains("--labels-topic needs --bootstrap-servers and --topic");

        CliRun noClientFile = run(
                "generate-transactions",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--topic",
                "tx",
                "--kafka-properties-file",
                dir.resolve("client.properties").toString());
        assertThat(noClientFile.code()).isEqualTo(2);
        assertThat(noClientFile.err())
                .contains("Kafka client properties file " + dir.resolve("client.properties") + " does not exist");

        CliRun warmup = run(
                "generate-transactions",
                "--days",
                "10",
                "--warmup-days",
                "10",
                "--csv",
                dir.resolve("x.csv").toString());
        assertThat(warmup.code()).isEqualTo(2);
        assertThat(warmup.err()).contains("warmupDays must be in [0, days = 10), is 10");
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }
}
