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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code transaction-corpus} command through a real Kafka broker and the job's transaction pipeline
 * on a MiniCluster, on a small generated file (40 accounts, 30 days, card testing, takeovers and
 * velocity bursts, trained on its first 15 days) and three rows a day ahead of the clock, which the reader takes and the job refuses:
 * every transaction is in the per-transaction CSV once with its label and pattern, each account's
 * transactions scored once from its window's filling on, the three refused rows counted and listed with the
 * job's reason (and in the results without a score), the metrics written for every pattern; and a column
 * named wrong fails before training, naming the column and its option.
 */
class TransactionCorpusITCase {

    private static final int WINDOW = 8;
    private static final TransactionGeneratorConfig CONFIG = TransactionGeneratorConfig.defaults()
            .withAccounts(40)
            .withDays(30)
            .withMerchants(300)
            .withFraud(150, 150, 150, 0)
            .withSeed(21);
    /** The fit part: the generator's first 15 days (its fraud starts on day 14). */
    private static final Instant FIT_UNTIL = CONFIG.day(15);
    /** Rows the reader takes but the job refuses: a day ahead of the clock (the job allows an hour). */
    private static final List<String> FUTURE = List.of("tfuture0", "tfuture1", "tfuture2");

    @TempDir
    Path dir;

    @Test
    void everyTransactionOnceWithItsLabelAndTheFraudMetrics() throws Exception {
        TransactionGenerator.Generated g = TransactionGenerator.generate(CONFIG);
        Path csv = dir.resolve("cards.csv");
        TransactionFiles.writeCsv(csv, g.transactions());
        long ahead = Instant.now().plus(Duration.ofDays(1)).toEpochMilli();
        StringBuilder future = new StringBuilder();
        for (int i = 0; i < FUTURE.size(); i++) {
            future.append(FUTURE.get(i) + ",acc-00001," + Instant.ofEpochMilli(ahead + i)
                    + ",12.5,EUR,m-00001,DE,5411,pos,0,\n");
        }
        Files.writeString(csv, future, StandardOpenOption.APPEND);
        Path out = dir.resolve("out");

        CliRun run = CliRun.of(args(
                "--fit-until",
                FIT_UNTIL.toString(),
                "--resolve-after",
                "" + WINDOW,
                "--k",
                "5",
                "--output",
                out.toString(),
                csv.toString()));
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
        Set<String> ids = new HashSet<>(byId.keySet());
        ids.addAll(FUTURE);
        assertThat(rows.keySet()).isEqualTo(ids);
        for (String id : FUTURE) {
            assertThat(rows.get(id)[4]).as("dead-lettered, so no score: " + id).isEmpty();
            assertThat(rows.get(id)[6]).isEqualTo("0");
            assertThat(rows.get(id)[8]).as("counted").isEqualTo("1");
        }
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
        assertThat(cutOf(counts)).isEqualTo(FIT_UNTIL.toEpochMilli());
        assertThat(counts.get("streamed").asLong()).isEqualTo(g.transactions().size() + FUTURE.size());
        assertThat(counts.get("scores").asLong()).isEqualTo(expectedScores);
        // the rows the job refused: counted, listed with the job's reason, in the results without a score
        assertThat(counts.get("deadLettered").asLong()).isEqualTo(FUTURE.size());
        assertThat(counts.get("deadLetterReasons").get("bad-timestamp").asLong())
                .isEqualTo(FUTURE.size());
        assertThat(Files.readAllLines(out.resolve("dead-letter.csv")))
                .containsExactlyInAnyOrder(
                        "transaction_id,reason",
                        "tfuture0,bad-timestamp",
                        "tfuture1,bad-timestamp",
                        "tfuture2,bad-timestamp");
        assertThat(run.out()).contains("3 dead-lettered {bad-timestamp=3}");
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
                                .count()
                        + FUTURE.size());
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

    /**
     * With confirmed-fraud feedback the run plays the fraud team: every fraud of the file is confirmed two
     * days after it on the labels topic, the job reads them, and the merchants compromised in the measured
     * part, whose transactions are each normal for their account, rank above the genuine transactions.
     */
    @Test
    void withFeedbackEveryFraudIsConfirmedOnTheLabelsTopicAndCompromisedMerchantsRankHigh() throws Exception {
        TransactionGeneratorConfig config =
                CONFIG.withAccounts(60).withMerchants(60).withFraud(0, 0, 0, 8).withSeed(22);
        TransactionGenerator.Generated g = TransactionGenerator.generate(config);
        Path csv = dir.resolve("cards.csv");
        TransactionFiles.writeCsv(csv, g.transactions());
        Path out = dir.resolve("out");

        CliRun run = CliRun.of(args(
                "--fit-until",
                FIT_UNTIL.toString(),
                "--merchant-risk",
                "--confirmation-delay",
                "2d",
                "--output",
                out.toString(),
                csv.toString()));
        System.out.println(run.out());
        assertThat(run.code()).as(run.err()).isZero();

        long frauds = g.transactions().stream().filter(Labelled::fraud).count();
        JsonNode counts = new ObjectMapper().readTree(out.resolve("corpus.json").toFile());
        assertThat(counts.get("confirmedLabels").asLong()).isEqualTo(frauds).isPositive();
        assertThat(counts.get("deadLettered").asLong()).isZero();
        Map<String, Long> perAccount = new HashMap<>();
        g.transactions().forEach(l -> perAccount.merge(l.tx().accountId(), 1L, Long::sum));
        assertThat(counts.get("scores").asLong())
                .as("every transaction scored once from its account's window on")
                .isEqualTo(perAccount.values().stream()
                        .mapToLong(n -> Math.max(0, n - WINDOW + 1))
                        .sum());
        assertThat(run.out()).contains("frauds confirmed PT48H after each (the labels topic)");

        JsonNode metrics = new ObjectMapper()
                .readTree(out.resolve("evaluation.json").toFile())
                .get("metrics");
        double vigil =
                metrics.get("Vigil").get("compromised merchant").get("rocAuc").asDouble();
        assertThat(metrics.get("Vigil")
                        .get("compromised merchant")
                        .get("frauds")
                        .asLong())
                .isGreaterThan(20);
        assertThat(vigil)
                .isGreaterThan(metrics.get("amount alone")
                        .get("compromised merchant")
                        .get("rocAuc")
                        .asDouble())
                .isGreaterThan(metrics.get("account z-score of the amount")
                        .get("compromised merchant")
                        .get("rocAuc")
                        .asDouble())
                .isGreaterThan(0.75);
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

    /** transaction-corpus with a small, quick model (windows of {@link #WINDOW}) and {@code more}. */
    private static String[] args(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "transaction-corpus",
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
                "" + WINDOW));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static long cutOf(JsonNode counts) {
        return java.time.Instant.parse(counts.get("cut").asText()).toEpochMilli();
    }
}
