package io.vigil.harness.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.transactions.TransactionGenerator.Generated;
import io.vigil.harness.transactions.TransactionGenerator.Incident;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.history.TransactionHistoryReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labelled transaction generator: the same seed gives the same files byte for byte, and each fraud
 * pattern is injected as {@link FraudPattern} describes it, over accounts that each keep habits of their own.
 */
class TransactionGeneratorTest {

    private static final long MINUTE = 60_000L;
    private static final TransactionGeneratorConfig CONFIG = TransactionGeneratorConfig.defaults()
            .withAccounts(400)
            .withDays(45)
            .withMerchants(1500)
            .withSeed(7);

    private static Generated g;

    @BeforeAll
    static void generate() {
        g = TransactionGenerator.generate(CONFIG);
    }

    @Test
    void theSameSeedGivesTheSameFilesAndAnotherSeedOtherTransactions(@TempDir Path dir) throws Exception {
        TransactionFiles.writeCsv(dir.resolve("a.csv"), g.transactions());
        TransactionFiles.writeTruth(dir.resolve("a.json"), g);
        Generated again = TransactionGenerator.generate(CONFIG);
        TransactionFiles.writeCsv(dir.resolve("b.csv"), again.transactions());
        TransactionFiles.writeTruth(dir.resolve("b.json"), again);
        Generated other = TransactionGenerator.generate(CONFIG.withSeed(8));
        TransactionFiles.writeCsv(dir.resolve("c.csv"), other.transactions());

        assertThat(Files.mismatch(dir.resolve("a.csv"), dir.resolve("b.csv"))).isEqualTo(-1L);
        assertThat(Files.mismatch(dir.resolve("a.json"), dir.resolve("b.json"))).isEqualTo(-1L);
        assertThat(Files.mismatch(dir.resolve("a.csv"), dir.resolve("c.csv"))).isNotEqualTo(-1L);
        assertThat(Files.size(dir.resolve("a.csv"))).isGreaterThan(1_000_000L);
    }

    @Test
    void aWorldOfFewMerchantsLeavesSomeCountriesWithoutOneAndItsAccountsShopElsewhere() {
        // 60 merchants: with this seed an account's home country has none (this failed with an index error)
        Generated few = TransactionGenerator.generate(CONFIG.withAccounts(60)
                .withDays(30)
                .withMerchants(60)
                .withFraud(0, 0, 0, 8)
                .withSeed(22));
        assertThat(few.transactions()).hasSizeGreaterThan(60 * 30);
        assertThat(few.transactions().stream().map(l -> l.tx().merchantId()).distinct())
                .allMatch(id -> id.matches("m-000[0-5][0-9]"));
    }

    @Test
    void theStreamIsInTimeOrderWithUniqueIdsAndFraudOnlyAfterTheWarmup() {
        List<Labelled> txs = g.transactions();
        // 400 accounts x 45 days x ~2.5 a day (0.5-10 each)
        assertThat(txs).hasSizeBetween(30_000, 90_000);
        Set<String> ids = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (Labelled l : txs) {
            assertThat(ids.add(l.tx().transactionId()))
                    .as(l.tx().transactionId())
                    .isTrue();
            assertThat(l.tx().eventTime()).isGreaterThanOrEqualTo(previous);
            previous = l.tx().eventTime();
            assertThat(TransactionEvent.check(
                            l.tx().transactionId(),
                            l.tx().accountId(),
                            l.tx().eventTime(),
                            l.tx().amount(),
                            l.tx().merchantId()))
                    .isNull();
        }
        long warmupEnd = CONFIG.day(CONFIG.warmupDays()).toEpochMilli();
        assertThat(txs.stream()
                        .filter(Labelled::fraud)
                        .mapToLong(l -> l.tx().eventTime())
                        .min()
                        .orElseThrow())
                .isGreaterThanOrEqualTo(warmupEnd);
        // fraud is rare, as in card data: well under 2% of the transactions
        assertThat((double) g.frauds() / txs.size()).isBetween(0.001, 0.02);
    }

    @Test
    void everyPatternIsInjectedAndItsIncidentsAddUpToTheLabels() {
        Map<FraudPattern, Integer> incidents = new EnumMap<>(FraudPattern.class);
        Map<FraudPattern, Integer> byIncidents = new EnumMap<>(FraudPattern.class);
        for (Incident i : g.incidents()) {
            incidents.merge(i.pattern(), 1, Integer::sum);
            byIncidents.merge(i.pattern(), i.transactions(), Integer::sum);
        }
        Map<FraudPattern, Integer> labelled = new EnumMap<>(FraudPattern.class);
        g.transactions().stream().filter(Labelled::fraud).forEach(l -> labelled.merge(l.pattern(), 1, Integer::sum));
        // 10 per 1,000 accounts per 30 days over 31 days after the warm-up, at 400 accounts: about 4 each;
        // 2 compromised merchants per 30 days: about 2
        for (FraudPattern p : FraudPattern.values()) {
            assertThat(incidents.getOrDefault(p, 0)).as(p.label()).isGreaterThanOrEqualTo(1);
        }
        assertThat(labelled).isEqualTo(byIncidents);
    }

    @Test
    void cardTestingIsABurstOfTinyOnlineAmountsSecondsApart() {
        for (List<Labelled> burst : incidentTransactions(FraudPattern.CARD_TESTING)) {
            assertThat(burst).hasSizeBetween(4, 12);
            Set<String> merchants = new HashSet<>();
            for (int k = 0; k < burst.size(); k++) {
                TransactionEvent t = burst.get(k).tx();
                assertThat(t.amount()).isBetween(0.5, 3.0);
                assertThat(t.channel()).isEqualTo("online");
                merchants.add(t.merchantId());
                if (k > 0) {
                    assertThat(t.eventTime() - burst.get(k - 1).tx().eventTime())
                            .isBetween(5_000L, 60_000L);
                }
            }
            assertThat(merchants).hasSizeBetween(1, 2);
        }
    }

    @Test
    void accountTakeoverIsLargeAmountsAtMerchantsTheAccountNeverUsed() {
        Map<String, List<Labelled>> genuine =
                byAccount(g.transactions().stream().filter(l -> !l.fraud()).toList());
        int transactions = 0;
        int newMerchant = 0;
        for (List<Labelled> takeover : incidentTransactions(FraudPattern.ACCOUNT_TAKEOVER)) {
            assertThat(takeover).hasSizeBetween(2, 6);
            String account = takeover.get(0).tx().accountId();
            List<Labelled> own = genuine.get(account);
            double median =
                    median(own.stream().mapToDouble(l -> l.tx().amount()).toArray());
            long start = takeover.get(0).tx().eventTime();
            Set<String> usedBefore = own.stream()
                    .filter(l -> l.tx().eventTime() < start)
                    .map(l -> l.tx().merchantId())
                    .collect(Collectors.toSet());
            for (Labelled l : takeover) {
                // 4-15x the account's typical amount; its median genuine amount is that typical amount give or take
                assertThat(l.tx().amount() / median).as(account).isGreaterThan(2.5);
                transactions++;
                newMerchant += usedBefore.contains(l.tx().merchantId()) ? 0 : 1;
            }
            assertThat(takeover.get(takeover.size() - 1).tx().eventTime() - start)
                    .isLessThanOrEqualTo(6 * 60 * MINUTE + 6 * MINUTE);
        }
        assertThat((double) newMerchant / transactions).isGreaterThan(0.95);
    }

    @Test
    void aCompromisedMerchantDefraudsEveryAccountThatPaysThereForDays() {
        for (Incident i : g.incidents()) {
            if (i.pattern() != FraudPattern.COMPROMISED_MERCHANT) {
                continue;
            }
            List<Labelled> there = g.transactions().stream()
                    .filter(l -> l.tx().merchantId().equals(i.subject())
                            && l.tx().eventTime() >= i.start().toEpochMilli()
                            && l.tx().eventTime() <= i.end().toEpochMilli())
                    .toList();
            assertThat(there).hasSize(i.transactions()).allMatch(l -> l.pattern() == FraudPattern.COMPROMISED_MERCHANT);
            assertThat(there.stream().map(l -> l.tx().accountId()).distinct().count())
                    .as(i.subject())
                    .isGreaterThanOrEqualTo(3);
            // the compromise lasts 14-28 days, or until the stream ends
            long days = (i.end().toEpochMilli() - i.start().toEpochMilli()) / (24 * 60 * MINUTE);
            assertThat(days).isLessThanOrEqualTo(28);
            assertThat(days >= 7 || i.end().isAfter(CONFIG.day(CONFIG.days() - 3)))
                    .isTrue();
        }
    }

    @Test
    void aVelocityBurstIsManyTransactionsWithinHalfAnHourAtUsualAmounts() {
        for (List<Labelled> burst : incidentTransactions(FraudPattern.VELOCITY_BURST)) {
            assertThat(burst).hasSizeBetween(6, 15);
            long span = burst.get(burst.size() - 1).tx().eventTime()
                    - burst.get(0).tx().eventTime();
            assertThat(span).isLessThanOrEqualTo(30 * MINUTE + 15 * 20_000L);
            assertThat(burst).allMatch(l -> !"online".equals(l.tx().channel()) || l.tx().amount() > 3);
        }
    }

    @Test
    void accountsKeepHabitsOfTheirOwn() {
        Map<String, List<Labelled>> genuine =
                byAccount(g.transactions().stream().filter(l -> !l.fraud()).toList());
        List<Double> medians = new ArrayList<>();
        int homeBound = 0;
        int regulars = 0;
        for (List<Labelled> own : genuine.values()) {
            medians.add(median(own.stream().mapToDouble(l -> l.tx().amount()).toArray()));
            Map<String, Long> countries =
                    own.stream().collect(Collectors.groupingBy(l -> l.tx().country(), Collectors.counting()));
            homeBound += Collections.max(countries.values()) >= 0.7 * own.size() ? 1 : 0;
            Map<String, Long> merchants =
                    own.stream().collect(Collectors.groupingBy(l -> l.tx().merchantId(), Collectors.counting()));
            List<Long> counts = new ArrayList<>(merchants.values());
            counts.sort(Collections.reverseOrder());
            long top5 = counts.stream().limit(5).mapToLong(Long::longValue).sum();
            regulars += own.size() >= 20 && top5 >= 0.5 * own.size() ? 1 : 0;
        }
        Collections.sort(medians);
        assertThat(genuine).hasSize(CONFIG.accounts());
        // typical amounts from 12 to 90: the top tenth of accounts spend at least 3x what the bottom tenth does
        assertThat(medians.get(medians.size() * 9 / 10) / medians.get(medians.size() / 10))
                .isGreaterThan(3);
        // one home country (a fifth travel once, for 3-10 days)
        assertThat(homeBound).isGreaterThanOrEqualTo(CONFIG.accounts() * 90 / 100);
        // a few favourite merchants carry most of an account's spending
        assertThat(regulars).isGreaterThanOrEqualTo(CONFIG.accounts() * 80 / 100);
    }

    @Test
    void theTrainerReadsTheCsvWithItsDefaultColumnsAndTheTruthNamesEveryIncident(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("tx.csv");
        Path truth = dir.resolve("truth.json");
        TransactionFiles.writeCsv(csv, g.transactions());
        TransactionFiles.writeTruth(truth, g);

        TransactionHistory h = TransactionHistoryReader.read(List.of(csv), TransactionColumns.defaults());
        assertThat(h.transactions()).hasSize(g.transactions().size());
        int frauds = 0;
        for (int i = 0; i < h.transactions().size(); i++) {
            frauds += h.fraud()[i] ? 1 : 0;
        }
        assertThat(frauds).isEqualTo((int) g.frauds());
        Map<String, TransactionEvent> read = new HashMap<>();
        h.transactions().forEach(t -> read.put(t.transactionId(), t));
        assertThat(read.get(g.transactions().get(123).tx().transactionId()))
                .isEqualTo(g.transactions().get(123).tx());

        JsonNode json = new ObjectMapper().readTree(truth.toFile());
        assertThat(json.get("format").asText()).isEqualTo(TransactionFiles.FORMAT);
        assertThat(json.get("generator").get("seed").asLong()).isEqualTo(7L);
        assertThat(json.get("frauds").asLong()).isEqualTo(g.frauds());
        assertThat(json.get("incidents")).hasSize(g.incidents().size());
    }

    /** Each non-merchant incident's transactions, in time order. */
    private static List<List<Labelled>> incidentTransactions(FraudPattern p) {
        List<List<Labelled>> out = new ArrayList<>();
        for (Incident i : g.incidents()) {
            if (i.pattern() == p) {
                List<Labelled> txs = g.transactions().stream()
                        .filter(l -> l.pattern() == p
                                && l.tx().accountId().equals(i.subject())
                                && l.tx().eventTime() >= i.start().toEpochMilli()
                                && l.tx().eventTime() <= i.end().toEpochMilli())
                        .toList();
                assertThat(txs).as(i.toString()).hasSize(i.transactions());
                out.add(txs);
            }
        }
        assertThat(out).as(p.label()).isNotEmpty();
        return out;
    }

    private static Map<String, List<Labelled>> byAccount(List<Labelled> txs) {
        return txs.stream().collect(Collectors.groupingBy(l -> l.tx().accountId()));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }
}
