package io.vigil.job.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.io.SensorEvent;
import io.vigil.job.transactions.ParityStream.Arrival;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.TransactionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The trainer's features and the job's are the same: the same transactions (and confirmed frauds), fed
 * to the offline featurizer in one piece and to the job's merchant and account steps as a stream that
 * arrives out of order within the watermark's wait, checkpointed and restored half-way, give identical
 * feature vectors, bit for bit, for every transaction; none is lost or dead-lettered.
 */
class TransactionFeatureParityTest {

    @Test
    void theJobComputesTheTrainersFeaturesForTransactionsOutOfOrderWithinTheLateness() throws Exception {
        ParityStream stream = new ParityStream(17);
        List<Arrival> arrivals = stream.arrivals;
        assertThat(stream.outOfOrder())
                .as("arrivals behind an earlier one's event time")
                .isGreaterThan(500);

        Map<String, double[]> online = new HashMap<>();
        List<Object> dead = new ArrayList<>();
        Steps steps = new Steps(null, null);
        long watermark = Long.MIN_VALUE;
        long maxSeen = Long.MIN_VALUE;
        int half = arrivals.size() / 2;
        for (int k = 0; k < arrivals.size(); k++) {
            if (k == half) {
                steps = steps.restarted(); // checkpoint, then a new pair of operators restored from it
            }
            Arrival a = arrivals.get(k);
            if (a.tx() != null) {
                steps.merchant.processElement1(
                        new StreamRecord<>(new InboundTransaction(a.tx(), a.arrival(), 0, k), a.tx().eventTime()));
            } else {
                steps.merchant.processElement2(
                        new StreamRecord<>(a.confirmation(), a.confirmation().confirmedAt()));
            }
            maxSeen = Math.max(maxSeen, a.time());
            long next = maxSeen - ParityStream.LATENESS - 1; // bounded out-of-orderness, as the sources' watermarks
            if (next > watermark + 60_000 || k == arrivals.size() - 1) {
                watermark = k == arrivals.size() - 1 ? Long.MAX_VALUE : next;
                steps.merchant.processBothWatermarks(new Watermark(watermark));
            }
            steps.forward(online, dead);
        }
        steps.close();

        assertThat(dead).as("nothing was late").isEmpty();
        assertThat(online).hasSize(stream.transactions.size());
        for (TransactionEvent tx : stream.transactions) {
            assertThat(online.get(tx.transactionId()))
                    .as(tx.transactionId())
                    .containsExactly(stream.offline.get(tx.transactionId()));
        }
    }

    /** The merchant step feeding the account step, as in the job. */
    private static final class Steps {
        final KeyedTwoInputStreamOperatorTestHarness<String, InboundTransaction, Confirmation, InboundTransaction>
                merchant;
        final KeyedOneInputStreamOperatorTestHarness<String, InboundTransaction, SensorEvent> account;

        Steps(OperatorSubtaskState merchantState, OperatorSubtaskState accountState) throws Exception {
            merchant = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new MerchantRiskOperator(), i -> i.tx.merchantId(), Confirmation::merchantId, Types.STRING);
            account = new KeyedOneInputStreamOperatorTestHarness<>(
                    new AccountFeatureOperator(true), i -> i.tx.accountId(), Types.STRING);
            merchant.setup(new TransactionSerializers.Inbound());
            account.setup(new TransactionSerializers.Featured());
            if (merchantState != null) {
                merchant.initializeState(merchantState);
                account.initializeState(accountState);
            }
            merchant.open();
            account.open();
        }

        /** Moves what the merchant step emitted into the account step, and what that emitted into the results. */
        void forward(Map<String, double[]> features, List<Object> dead) throws Exception {
            ConcurrentLinkedQueue<Object> out = merchant.getOutput();
            for (Object o = out.poll(); o != null; o = out.poll()) {
                if (o instanceof StreamRecord<?> rec) {
                    @SuppressWarnings("unchecked")
                    StreamRecord<InboundTransaction> r = (StreamRecord<InboundTransaction>) rec;
                    account.processElement(new StreamRecord<>(
                            new TransactionSerializers.Inbound().copy(r.getValue()), r.getTimestamp()));
                } else if (o instanceof Watermark w) {
                    account.processWatermark(w);
                }
            }
            dead.addAll(
                    merchant.getSideOutput(MerchantRiskOperator.LATE) == null
                            ? List.of()
                            : merchant.getSideOutput(MerchantRiskOperator.LATE));
            dead.addAll(
                    account.getSideOutput(AccountFeatureOperator.LATE) == null
                            ? List.of()
                            : account.getSideOutput(AccountFeatureOperator.LATE));
            ConcurrentLinkedQueue<Object> featured = account.getOutput();
            for (Object o = featured.poll(); o != null; o = featured.poll()) {
                if (o instanceof StreamRecord<?> rec && rec.getValue() instanceof FeaturedTransaction f) {
                    assertThat(features.put(f.tx.transactionId(), f.values))
                            .as("emitted once")
                            .isNull();
                }
            }
        }

        Steps restarted() throws Exception {
            OperatorSubtaskState m = merchant.snapshot(1, 1);
            OperatorSubtaskState a = account.snapshot(1, 1);
            close();
            return new Steps(m, a);
        }

        void close() throws Exception {
            merchant.close();
            account.close();
        }
    }
}
