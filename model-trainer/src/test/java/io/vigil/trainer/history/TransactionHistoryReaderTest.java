package io.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.history.TransactionColumns.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionHistoryReaderTest {

    @TempDir
    Path dir;

    @Test
    void anyColumnNamesAreMappedByOptions() throws Exception {
        Path f = dir.resolve("cards.csv");
        Files.writeString(
                f,
                "TX;CUSTOMER;WHEN;EUR;TERMINAL;IS_FRAUD;KIND\n"
                        + "x1;c-1;2026-01-05 10:00:00;12.50;term-9;0;\n"
                        + "x2;c-1;2026-01-05 10:05:00;1.00;term-3;1;card testing\n"
                        + "x3;c-2;1767607200000;80;term-9;0;\n");
        TransactionColumns columns = new TransactionColumns(
                ';',
                Map.of(
                        Role.TRANSACTION_ID,
                        "TX",
                        Role.ACCOUNT,
                        "CUSTOMER",
                        Role.TIMESTAMP,
                        "WHEN",
                        Role.AMOUNT,
                        "EUR",
                        Role.MERCHANT,
                        "TERMINAL",
                        Role.LABEL,
                        "IS_FRAUD",
                        Role.PATTERN,
                        "KIND"),
                ZoneOffset.UTC);

        TransactionHistory h = TransactionHistoryReader.read(List.of(f), columns);

        assertThat(h.transactions()).extracting(TransactionEvent::transactionId).containsExactly("x1", "x2", "x3");
        TransactionEvent second = h.transactions().get(1);
        assertThat(second.accountId()).isEqualTo("c-1");
        assertThat(second.merchantId()).isEqualTo("term-3");
        assertThat(second.amount()).isEqualTo(1.0);
        assertThat(second.eventTime()).isEqualTo(1_767_607_500_000L);
        assertThat(second.country()).as("no country column").isNull();
        assertThat(h.fraud()).containsExactly(false, true, false);
        assertThat(h.patterns()).containsExactly("", "card testing", "");
    }

    @Test
    void theUsualNamesAreFoundWithoutOptionsAndTheHistoryBecomesOneSeriesPerAccount() throws Exception {
        Path f = dir.resolve("g.csv");
        Files.writeString(
                f,
                "transaction_id,account_id,timestamp,amount,currency,merchant_id,country,label\n"
                        + "t2,a,2026-01-05T10:05:00Z,3,EUR,m1,DE,0\n"
                        + "t1,a,2026-01-05T10:00:00Z,5,EUR,m1,DE,0\n"
                        + "t3,b,2026-01-05T11:00:00Z,7,EUR,m2,FR,1\n");
        TransactionHistory h = TransactionHistoryReader.read(List.of(f), TransactionColumns.defaults());
        assertThat(h.labelled()).isTrue();
        assertThat(h.patterns()).isNull();

        TransactionHistory.Featurized fz = h.featurize(TransactionFeatures.create(false), Duration.ofDays(7));
        History history = fz.history();
        assertThat(history.streamKind()).isEqualTo(History.TRANSACTION);
        assertThat(history.features().names()).isEqualTo(TransactionFeatures.names(false));
        assertThat(history.series()).extracting(EntitySeries::entity).containsExactly("a", "b");
        assertThat(fz.transaction(0, 0).transactionId()).as("in time order").isEqualTo("t1");
        assertThat(history.series().get(1).labels()).containsExactly(true);
    }

    @Test
    void aBadRowNamesItsFileLineAndWhatIsWrong() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(
                f,
                "transaction_id,account_id,timestamp,amount,merchant_id\n"
                        + "t1,a,2026-01-05T10:00:00Z,5,m1\n"
                        + "t2,a,2026-01-05T10:01:00Z,-4,m1\n");
        assertThatThrownBy(() -> TransactionHistoryReader.read(List.of(f), TransactionColumns.defaults()))
                .isInstanceOf(HistoryException.class)
                .hasMessage(f + " line 3: amount -4.0 is not a finite, non-negative number");

        Path g = dir.resolve("nomerchant.csv");
        Files.writeString(g, "account_id,timestamp,amount\na,2026-01-05T10:00:00Z,5\n");
        assertThatThrownBy(() -> TransactionHistoryReader.read(List.of(g), TransactionColumns.defaults()))
                .hasMessageContaining("no merchant column: looked for [merchant_id, merchant, terminal_id, terminal]")
                .hasMessageContaining("name it with --merchant-column");

        Path twice = dir.resolve("twice.csv");
        Files.writeString(
                twice,
                "transaction_id,account_id,timestamp,amount,merchant_id\n"
                        + "t1,a,2026-01-05T10:00:00Z,5,m1\nt1,b,2026-01-05T10:00:00Z,5,m1\n");
        assertThatThrownBy(() -> TransactionHistoryReader.read(List.of(twice), TransactionColumns.defaults()))
                .hasMessageContaining("Transaction id t1 appears twice");
    }

    @Test
    void merchantRiskNeedsLabels() throws Exception {
        Path f = dir.resolve("u.csv");
        Files.writeString(f, "account_id,timestamp,amount,merchant_id\na,2026-01-05T10:00:00Z,5,m1\n");
        TransactionHistory h = TransactionHistoryReader.read(List.of(f), TransactionColumns.defaults());
        assertThat(h.transactions().get(0).transactionId()).isEqualTo("u.csv:2");
        assertThatThrownBy(() -> h.featurize(TransactionFeatures.create(true), Duration.ofDays(7)))
                .hasMessageContaining("needs a label column");
    }
}
