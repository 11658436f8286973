package io.vigil.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scoring.DirectEvidence;
import io.vigil.scoring.transactions.TransactionFeatures;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train-transactions} then {@code evaluate-transactions} on a small labelled transaction file: the
 * bundle is a transaction model, and blatant frauds (hundreds of times an account's usual amount, at a
 * merchant it never used) rank above nearly every genuine transaction.
 */
class TransactionCommandsTest {

    @TempDir
    Path dir;

    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;

    /** The column options of the test files. */
    private static final String[] COLUMNS = {
        "--transaction-id-column", "tx",
        "--account-column", "card",
        "--timestamp-column", "time",
        "--merchant-column", "terminal",
        "--label-column", "fraud",
        "--pattern-column", "kind"
    };

    /** A small, quick model, trained on the transactions before 2026-02-04. */
    private static final String[] SMALL = {
        "--version", "v1",
        "--until", "2026-02-04T00:00:00Z",
        "--window-length", "8",
        "--lstm-hidden", "8",
        "--ae-hidden", "16,4,16",
        "--max-epochs", "4",
        "--lstm-learning-rate", "0.02"
    };

    private static int run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = TrainerCli.run(args, new PrintWriter(out), new PrintWriter(err));
        if (code != 0) {
            throw new AssertionError("exit " + code + ": " + err);
        }
        return code;
    }

    /** One transaction of the test files: its amount, merchant, and fraud pattern (null for genuine). */
    private record Tx(double amount, String merchant, String fraud) {}

    /** Makes account {@code a}'s {@code k}-th transaction of day {@code d}; its usual amount is {@code usual}. */
    @FunctionalInterface
    private interface Maker {
        Tx make(Random r, int a, int d, int k, double usual);
    }

    /** 30 accounts, 40 days, 2-4 transactions a day each between 08:00 and 20:00, as {@code maker} makes them. */
    private Path write(String name, long seed, Maker maker) throws Exception {
        Random r = new Random(seed);
        Path f = dir.resolve(name);
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            w.write("tx,card,time,amount,terminal,fraud,kind\n");
            int id = 0;
            for (int a = 0; a < 30; a++) {
                double usual = 10 + 5 * a;
                for (int d = 0; d < 40; d++) {
                    int n = 2 + r.nextInt(3);
                    for (int k = 0; k < n; k++) {
                        long t = T0 + d * 24 * HOUR + (8 + r.nextInt(12)) * HOUR + r.nextInt(3_600_000);
                        Tx tx = maker.make(r, a, d, k, usual);
                        w.write("x" + (id++) + ",c" + a + "," + Instant.ofEpochMilli(t) + ","
                                + Math.round(tx.amount() * 100) / 100.0 + "," + tx.merchant() + ","
                                + (tx.fraud() != null ? 1 : 0) + "," + (tx.fraud() != null ? tx.fraud() : "") + "\n");
                    }
                }
            }
        }
        return f;
    }

    /** At their 5 merchants each; in the last 10 days 12 blatant frauds. */
    private Path history() throws Exception {
        int[] frauds = {0};
        Path f = write("cards.csv", 5, (r, a, d, k, usual) -> {
            boolean fraud = d >= 30 && k == 0 && frauds[0] < 12 && r.nextInt(10) == 0;
            double amount = fraud ? usual * 300 : usual * Math.exp(0.3 * r.nextGaussian());
            String merchant = fraud ? "evil-" + a : "m-" + a + "-" + r.nextInt(5);
            frauds[0] += fraud ? 1 : 0;
            return new Tx(amount, merchant, fraud ? "big spend" : null);
        });
        assertThat(frauds[0]).isEqualTo(12);
        return f;
    }

    @Test
    void trainsATransactionModelAndMeasuresItAsFraudTeamsDoBesideTheBaselines() throws Exception {
        Path csv = history();
        Path bundle = dir.resolve("bundle");
        StringWriter out = new StringWriter();
        String[] train = concat(new String[] {"train-transactions", "--output", bundle.toString()}, SMALL);
        run(out, concat(concat(train, COLUMNS), csv.toString()));
        assertThat(out.toString()).contains("stream TRANSACTION", "left out of training");
        JsonNode manifest =
                new ObjectMapper().readTree(bundle.resolve("manifest.json").toFile());
        assertThat(manifest.get("streamKind").asText()).isEqualTo("TRANSACTION");
        assertThat(manifest.get("normalisation").asText())
                .as("the transaction default")
                .isEqualTo("global");
        assertThat(new ObjectMapper().convertValue(manifest.get("features"), List.class))
                .isEqualTo(TransactionFeatures.names(false));

        Path eval = dir.resolve("eval");
        StringWriter evalOut = new StringWriter();
        String[] evaluate = {
            "evaluate-transactions",
            "--bundle",
            bundle.toString(),
            "--output",
            eval.toString(),
            "--from",
            "2026-02-04T00:00:00Z",
            "--k",
            "3"
        };
        run(evalOut, concat(concat(evaluate, COLUMNS), csv.toString()));
        JsonNode e = new ObjectMapper().readTree(eval.resolve("evaluation.json").toFile());
        JsonNode vigil = e.get("metrics").get("Vigil").get("all frauds");
        assertThat(vigil.get("frauds").asInt()).isEqualTo(12);
        assertThat(vigil.get("rocAuc").asDouble()).isGreaterThan(0.95);
        assertThat(e.get("metrics")
                        .get("amount alone")
                        .get("big spend")
                        .get("frauds")
                        .asInt())
                .isEqualTo(12);
        assertThat(e.get("metrics").get("account z-score of the amount").has("all frauds"))
                .isTrue();
        List<String> lines = Files.readAllLines(eval.resolve("transactions.csv"));
        assertThat(lines.get(0)).isEqualTo("transaction_id,account_id,timestamp,amount,score,alert_open,label,pattern");
        assertThat(lines.stream().filter(l -> l.endsWith(",1,big spend"))).hasSize(12);
        assertThat(Files.readString(eval.resolve("report.html")))
                .contains("Average precision", "card precision@3", "amount alone");
        assertThat(evalOut.toString()).contains("Vigil", "amount alone", "account z-score of the amount");
    }

    /**
     * One transaction in 25 at a shared shop; from day 20 on, every transaction at the shop is a fraud that
     * looks like the account's own (its usual amount), so only the shop's confirmed frauds can tell them apart.
     */
    private Path compromisedShop() throws Exception {
        return write("shop.csv", 9, (r, a, d, k, usual) -> {
            boolean shop = r.nextInt(25) == 0;
            boolean fraud = shop && d >= 20;
            double amount = usual * Math.exp(0.3 * r.nextGaussian());
            return new Tx(amount, shop ? "shop" : "m-" + a + "-" + r.nextInt(5), fraud ? "compromised shop" : null);
        });
    }

    @Test
    void withConfirmedFraudFeedbackTheShopsRiskIsDirectEvidenceThatFindsFraudsNormalForEachAccount() throws Exception {
        Path csv = compromisedShop();
        double[] auc = new double[2];
        for (int feedback = 0; feedback < 2; feedback++) {
            Path bundle = dir.resolve("bundle-" + feedback);
            StringWriter out = new StringWriter();
            String[] train = concat(new String[] {"train-transactions", "--output", bundle.toString()}, SMALL);
            if (feedback == 1) {
                train = concat(train, "--merchant-risk", "--confirmation-delay", "1d");
            }
            run(out, concat(concat(train, COLUMNS), csv.toString()));
            JsonNode direct = new ObjectMapper()
                    .readTree(bundle.resolve("manifest.json").toFile())
                    .get("scoring")
                    .get("direct");
            if (feedback == 0) {
                assertThat(direct.isNull())
                        .as("no direct evidence without feedback")
                        .isTrue();
            } else {
                // both merchant-risk features are direct evidence; no genuine transaction met a confirmed
                // fraud, so any confirmed fraud at a merchant is far beyond normal
                assertThat(direct.get("levels").size()).isEqualTo(2);
                assertThat(direct.get("levels").get("merchant_fraud_share").asDouble())
                        .isEqualTo(DirectEvidence.NO_POSITIVE_LEVEL);
                assertThat(direct.get("levels").get("merchant_frauds").asDouble())
                        .isEqualTo(DirectEvidence.NO_POSITIVE_LEVEL);
                assertThat(direct.get("evidenceAtLevel").asDouble()).isGreaterThanOrEqualTo(1);
                assertThat(out.toString()).contains("direct evidence");
            }
            Path eval = dir.resolve("eval-" + feedback);
            String[] evaluate = {
                "evaluate-transactions",
                "--bundle",
                bundle.toString(),
                "--output",
                eval.toString(),
                "--from",
                "2026-02-04T00:00:00Z",
                "--k",
                "3",
                "--confirmation-delay",
                "1d"
            };
            run(new StringWriter(), concat(concat(evaluate, COLUMNS), csv.toString()));
            JsonNode shop = new ObjectMapper()
                    .readTree(eval.resolve("evaluation.json").toFile())
                    .get("metrics")
                    .get("Vigil")
                    .get("compromised shop");
            assertThat(shop.get("frauds").asInt()).isGreaterThan(15);
            auc[feedback] = shop.get("rocAuc").asDouble();
        }
        assertThat(auc[0])
                .as("without feedback each fraud is normal for its account")
                .isLessThan(0.75);
        assertThat(auc[1]).as("with the shop's confirmed frauds as evidence").isGreaterThan(0.95);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
