package io.vigil.scoring.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Transaction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TransactionEventAvroTest {

    @Test
    void everyFieldGoesOnTheWireUnderItsRecordNameAndComesBack() {
        TransactionEvent e =
                new TransactionEvent("tx-7", "acct-3", 1_700_000_123_456L, 42.5, "EUR", "m-9", "DE", "5411", "pos");

        Transaction t = e.toAvro();

        assertThat(t.getTransactionId()).isEqualTo("tx-7");
        assertThat(t.getAccountId()).isEqualTo("acct-3");
        assertThat(t.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_123_456L));
        assertThat(t.getAmount()).isEqualTo(42.5);
        assertThat(t.getCurrency()).isEqualTo("EUR");
        assertThat(t.getMerchantId()).isEqualTo("m-9");
        assertThat(t.getCountry()).isEqualTo("DE");
        assertThat(t.getMerchantCategory()).isEqualTo("5411");
        assertThat(t.getChannel()).isEqualTo("pos");
        assertThat(TransactionEvent.of(t)).isEqualTo(e);
    }

    @Test
    void theOptionalFieldsStayAbsent() {
        TransactionEvent e = new TransactionEvent("tx-1", "acct-1", 0L, 0.0, "USD", "m-1", null, null, null);

        Transaction t = e.toAvro();

        assertThat(t.getCountry()).isNull();
        assertThat(t.getMerchantCategory()).isNull();
        assertThat(t.getChannel()).isNull();
        assertThat(TransactionEvent.of(t)).isEqualTo(e);
    }
}
