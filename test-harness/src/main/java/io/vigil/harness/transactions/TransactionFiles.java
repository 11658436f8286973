package io.vigil.harness.transactions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scoring.transactions.TransactionEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's files. The transactions CSV ({@link #COLUMNS}: what {@code vigil-trainer
 * train-transactions} and the harness's {@code transaction-corpus} read with their default column
 * names; {@code label} 1 for fraud, {@code pattern} its kind) and the ground truth JSON
 * ({@value #FORMAT}: the generator config, which regenerates the stream exactly, the counts, and every
 * incident with its kind, whom it hit, when and how many transactions).
 */
public final class TransactionFiles {

    public static final String FORMAT = "vigil-transaction-truth/1";
    public static final String COLUMNS =
            "transaction_id,account_id,timestamp,amount,currency,merchant_id,country,category,channel,label,pattern";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TransactionFiles() {}

    /** Writes the transactions as CSV (replacing the file). */
    public static void writeCsv(Path file, List<TransactionGenerator.Labelled> transactions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(COLUMNS);
            out.write('\n');
            StringBuilder line = new StringBuilder();
            for (TransactionGenerator.Labelled l : transactions) {
                TransactionEvent t = l.tx();
                line.setLength(0);
                line.append(t.transactionId())
                        .append(',')
                        .append(t.accountId())
                        .append(',')
                        .append(Instant.ofEpochMilli(t.eventTime()))
                        .append(',')
                        .append(t.amount())
                        .append(',')
                        .append(t.currency())
                        .append(',')
                        .append(t.merchantId())
                        .append(',')
                        .append(t.country())
                        .append(',')
                        .append(t.category())
                        .append(',')
                        .append(t.channel())
                        .append(',')
                        .append(l.fraud() ? 1 : 0)
                        .append(',')
                        .append(l.fraud() ? l.pattern().label() : "")
                        .append('\n');
                out.write(line.toString());
            }
        }
    }

    /** Writes the ground truth (replacing the file). */
    public static void writeTruth(Path file, TransactionGenerator.Generated g) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        TransactionGeneratorConfig c = g.config();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("accounts", c.accounts());
        config.put("days", c.days());
        config.put("start", c.start().toString());
        config.put("merchants", c.merchants());
        config.put("warmupDays", c.warmupDays());
        config.put("cardTesting", c.cardTesting());
        config.put("accountTakeover", c.accountTakeover());
        config.put("velocityBurst", c.velocityBurst());
        config.put("compromisedMerchants", c.compromisedMerchants());
        config.put("travel", c.travel());
        config.put("seed", c.seed());
        root.put("generator", config);
        root.put("transactions", g.transactions().size());
        root.put("frauds", g.frauds());
        Map<String, Long> byPattern = new LinkedHashMap<>();
        Map<FraudPattern, Long> counts = new EnumMap<>(FraudPattern.class);
        g.transactions().stream()
                .filter(TransactionGenerator.Labelled::fraud)
                .forEach(l -> counts.merge(l.pattern(), 1L, Long::sum));
        counts.forEach((p, n) -> byPattern.put(p.label(), n));
        root.put("fraudsByPattern", byPattern);
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (TransactionGenerator.Incident i : g.incidents()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern", i.pattern().label());
            m.put(i.pattern() == FraudPattern.COMPROMISED_MERCHANT ? "merchant" : "account", i.subject());
            m.put("start", i.start().toString());
            m.put("end", i.end().toString());
            m.put("transactions", i.transactions());
            incidents.add(m);
        }
        root.put("incidents", incidents);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
