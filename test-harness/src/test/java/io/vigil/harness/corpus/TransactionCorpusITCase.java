package io.vigil.harness.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.CliRun;
import io.vigil.harness.HarnessCli;
import io.vigil.harness.transactions.TransactionFiles;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.harness.transactions.TransactionGeneratorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code transaction-corpus} command through a real Kafka broker and the job's transaction pipeline
 * on a MiniCluster, on a small generated file (40 accounts, 30 days, card testing, takeovers and
 * velocity bursts): every transaction is in the per-transaction CSV once with its label and pattern, each
 * account's transactions scored once from its window's filling on, the metrics written for every pattern,
 * nothing dead-lettered; and a column named wrong fails before training, naming the column and its option.
 */
class TransactionCorpusITCase {

    private static final int WINDOW = 8;
    private static final TransactionGeneratorConfig CONFIG = TransactionGeneratorConfig.defaults()
            .withAccounts(40)
            .withDays(30)
            .withMerchants(300)
            .withFraud(150, 150, 150, 0)
            .withSeed(21);

    @TempDir
    Path dir;

    @Test
    void everyTransactionOnceWithItsLabelAndTheFraudMetrics() throws Exception {
        TransactionGenerator.Generated g = TransactionGenerator.generate(CONFIG);
        Path csv = dir.resolve("cards.csv");
        TransactionFiles.writeCsv(csv, g.transactions());
        Path out = dir.resolve("out");

        CliRun run = CliRun.of(
                "transaction-corpus",
                "--fit-share",
                "0.5",
                "--window-length",
                "" + WINDOW,
                "--sequence-length",
                "16",
                "--lstm-hidden",
                "8",
                "--ae-hidden",
                "16,4,16",
                "--max-epochs",
                "4",
                "--patience",
                "2",
                "--batch-size",
                "16",
                "--warmup-events",
                "" + WINDOW,
                "--resolve-after",
                "" + WINDOW,
                "--k",
                "5",
                "--output",
                out.toString(),
                csv.toString());
        System.out.println(run.out());
        assertThat(run.code()).as(run.err()).isZero();

        List<String> lines = Files.readAllLines(out.resolve("transactions.csv"));
        assertThat(lines.get(0))
                .isEqualTo("transaction_id,account_id,timestamp,amount,score,alert_open,label,pattern,counted");
        Map<String, Labelled> byId = new HashMap<>();
        g.transactions().forEach(l -> byId.put(l.tx().transactionId(), l));
        Map<String, String[]> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(rows.put(cells[0], cells))
                    .as("row of %s seen once", cells[0])
                    .isNull();
        }
        assertThat(rows.keySet()).isEqualTo(byId.keySet());
        long frauds = 0;
        long scored = 0;
        for (Labelled l : g.transactions()) {
            String[] cells = rows.get(l.tx().transactionId());
            assertThat(cells[6]).as("label of " + cells[0]).isEqualTo(l.fraud() ? "1" : "0");
            assertThat(cells[7]).isEqualTo(l.fraud() ? l.pattern().label() : "");
            frauds += l.fraud() ? 1 : 0;
            scored += cells[4].isEmpty() ? 0 : 1;
        }
        assertThat(frauds).isPositive();

        // an account's first W - 1 transactions fill its window; every other one has exactly one score
        Map<String, Long> perAccount = new HashMap<>();
        g.transactions().forEach(l -> perAccount.merge(l.tx().accountId(), 1L, Long::sum));
        long expectedScores = perAccount.values().stream()
                .mapToLong(n -> Math.max(0, n - WINDOW + 1))
                .sum();
        assertThat(scored).isEqualTo(expectedScores);

        JsonNode counts = new ObjectMapper().readTree(out.resolve("corpus.json").toFile());
        long first = g.transactions().get(0).tx().eventTime();
        long last = g.transactions().get(g.transactions().size() - 1).tx().eventTime();
        assertThat(cutOf(counts))
                .as("the fit part: the first half of the time")
                .isEqualTo(first + (last - first + 1) / 2);
        assertThat(counts.get("streamed").asLong()).isEqualTo(g.transactions().size());
        assertThat(counts.get("scores").asLong()).isEqualTo(expectedScores);
        assertThat(counts.get("deadLettered").asLong()).isZero();
        assertThat(Files.readAllLines(out.resolve("dead-letter.csv"))).containsExactly("transaction_id,reason");
        long fitFrauds = g.transactions().stream()
                .filter(l -> l.fraud() && l.tx().eventTime() < cutOf(counts))
                .count();
        assertThat(counts.get("fitFraudsLeftOut").asLong()).isEqualTo(fitFrauds).isPositive();

        JsonNode metrics = new ObjectMapper()
                .readTree(out.resolve("evaluation.json").toFile())
                .get("metrics");
        JsonNode all = metrics.get("Vigil").get("all frauds");
        assertThat(all.get("frauds").asLong()).isEqualTo(frauds - fitFrauds);
        assertThat(all.get("transactions").asLong())
                .isEqualTo(g.transactions().stream()
                        .filter(l -> l.tx().eventTime() >= cutOf(counts))
                        .count());
        assertThat(all.get("rocAuc").asDouble()).isBetween(0.0, 1.0);
        assertThat(all.get("k").asInt()).isEqualTo(5);
        for (String scorer : List.of("Vigil", "amount alone", "account z-score of the amount")) {
            List<String> patterns = new ArrayList<>();
            metrics.get(scorer).fieldNames().forEachRemaining(patterns::add);
            assertThat(patterns)
                    .as(scorer)
                    .containsExactly("all frauds", "account takeover", "card testing", "velocity burst");
        }
        assertThat(out.resolve("report.html")).exists();
    }

    @Test
    void aColumnNamedWrongFailsBeforeTrainingNamingItAndItsOption() throws Exception {
        Path csv = dir.resolve("cards.csv");
        TransactionFiles.writeCsv(
                csv, TransactionGenerator.generate(CONFIG.withAccounts(3)).transactions());

        CliRun run = CliRun.of(
                "transaction-corpus",
                "--amount-column",
                "amt",
                "--output",
                dir.resolve("out").toString(),
                csv.toString());

        assertThat(run.code()).isEqualTo(HarnessCli.FAILURE);
        assertThat(run.err()).contains("column 'amt' (--amount-column) is not in the header");
        assertThat(run.out()).doesNotContain("fit ");
    }

    private static long cutOf(JsonNode counts) {
        return java.time.Instant.parse(counts.get("cut").asText()).toEpochMilli();
    }
}
