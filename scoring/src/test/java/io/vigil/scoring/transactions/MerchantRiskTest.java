package io.vigil.scoring.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MerchantRiskTest {

    static final long DAY = 86_400_000L;
    static final long T0 = 1_772_442_000_000L; // 2026-03-02T09:00Z

    private static TransactionEvent tx(String id, long time) {
        return new TransactionEvent(id, "acc-" + id, time, 10, "EUR", "m-1", "DE", null, null);
    }

    private static Map<String, MerchantRisk.Reading> process(List<MerchantRisk.Item> items) throws Exception {
        items.sort((a, b) -> Long.compare(a.time(), b.time()));
        Map<String, MerchantRisk.Reading> out = new HashMap<>();
        MerchantRisk.process(new MerchantRisk.State(), items, (t, r) -> out.put(t.transactionId(), r));
        return out;
    }

    @Test
    void aFraudCountsOnlyFromItsConfirmationOn() throws Exception {
        List<MerchantRisk.Item> items = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            items.add(MerchantRisk.of(tx("t" + d, T0 + d * DAY)));
        }
        // t1 was fraud, confirmed on day 5 at the same instant as t5
        items.add(MerchantRisk.of(new Confirmation("t1", "m-1", true, T0 + 5 * DAY)));
        Map<String, MerchantRisk.Reading> r = process(items);

        assertThat(r.get("t4").frauds()).isZero();
        assertThat(r.get("t5").frauds())
                .as("confirmed at the same instant: not yet known")
                .isZero();
        assertThat(r.get("t6").frauds()).isEqualTo(1);
        // before t6: six transactions (t0..t5) in the last 30 days
        assertThat(r.get("t6").share()).isCloseTo(1 / (6 + MerchantRisk.PRIOR_TRANSACTIONS), within(1e-12));
        assertThat(r.get("t9").share()).isCloseTo(1 / (9 + MerchantRisk.PRIOR_TRANSACTIONS), within(1e-12));
    }

    @Test
    void aConfirmedGenuineTransactionCountsNothingAndOldFraudsLeaveTheWindow() throws Exception {
        List<MerchantRisk.Item> items = new ArrayList<>();
        items.add(MerchantRisk.of(tx("a", T0)));
        items.add(MerchantRisk.of(new Confirmation("a", "m-1", false, T0 + DAY)));
        items.add(MerchantRisk.of(tx("b", T0 + 2 * DAY)));
        items.add(MerchantRisk.of(new Confirmation("b", "m-1", true, T0 + 3 * DAY)));
        items.add(MerchantRisk.of(tx("c", T0 + 4 * DAY)));
        items.add(MerchantRisk.of(tx("d", T0 + 33 * DAY)));
        Map<String, MerchantRisk.Reading> r = process(items);

        assertThat(r.get("b").frauds()).isZero();
        assertThat(r.get("c").frauds()).isEqualTo(1);
        assertThat(r.get("d"))
                .as("30 days on, the fraud has left the window")
                .isEqualTo(new MerchantRisk.Reading(0, 0));
    }

    @Test
    void transactionsAtTheSameInstantDoNotSeeEachOther() throws Exception {
        List<MerchantRisk.Item> items = new ArrayList<>();
        items.add(MerchantRisk.of(new Confirmation("x", "m-1", true, T0)));
        items.add(MerchantRisk.of(tx("a", T0 + 1)));
        items.add(MerchantRisk.of(tx("b", T0 + 1)));
        items.add(MerchantRisk.of(tx("c", T0 + 2)));
        Map<String, MerchantRisk.Reading> r = process(items);
        assertThat(r.get("a")).isEqualTo(r.get("b"));
        assertThat(r.get("a").share()).isCloseTo(1 / MerchantRisk.PRIOR_TRANSACTIONS, within(1e-12));
        assertThat(r.get("c").share()).isCloseTo(1 / (2 + MerchantRisk.PRIOR_TRANSACTIONS), within(1e-12));
    }

    @Test
    void theFeaturizerTurnsLabelsIntoConfirmationsAfterTheDelay() {
        List<TransactionEvent> txs = new ArrayList<>();
        for (int d = 0; d < 20; d++) {
            txs.add(new TransactionEvent("t" + d, "acc-" + (d % 4), T0 + d * DAY, 10, "EUR", "m-1", "DE", null, null));
        }
        boolean[] fraud = new boolean[20];
        fraud[2] = true;
        List<Confirmation> confirmed = TransactionFeaturizer.confirmedAfter(txs, fraud, 7 * DAY);
        assertThat(confirmed).containsExactly(new Confirmation("t2", "m-1", true, T0 + 9 * DAY));
        TransactionFeatures features = TransactionFeatures.create(true);
        Map<String, double[]> byId = new HashMap<>();
        for (var rows : TransactionFeaturizer.run(features, txs, confirmed)) {
            for (int i = 0; i < rows.transactions().size(); i++) {
                byId.put(rows.transactions().get(i).transactionId(), rows.features()[i]);
            }
        }
        int share = features.names().indexOf("merchant_fraud_share");
        assertThat(byId.get("t9")[share]).isZero();
        assertThat(byId.get("t10")[share]).isCloseTo(1 / (10 + MerchantRisk.PRIOR_TRANSACTIONS), within(1e-12));
    }
}
