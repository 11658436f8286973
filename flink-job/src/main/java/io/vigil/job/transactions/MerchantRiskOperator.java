package io.vigil.job.transactions;

import io.vigil.job.io.DeadLetter;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.MerchantRisk;
import io.vigil.scoring.transactions.TransactionEvent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The merchant step (keyed by merchant, with confirmed-fraud feedback only): a merchant's transactions
 * (input 1) and the confirmed labels of its transactions (input 2), once the watermark of both has passed
 * them, through {@link MerchantRisk#process} with the merchant's state from keyed state: each transaction
 * leaves with the merchant's reading from before its own time. A transaction behind what its merchant has
 * already taken in is dead-lettered as late; a label that arrives after the watermark passed its
 * confirmation time is counted from the next release (it is known later than it says).
 */
public final class MerchantRiskOperator extends HoldingOperator<MerchantItem, MerchantRisk.State, InboundTransaction>
        implements TwoInputStreamOperator<InboundTransaction, Confirmation, InboundTransaction>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> LATE =
            new OutputTag<>("tx-merchant-late", TypeInformation.of(DeadLetter.class));

    private transient List<MerchantRisk.Item> items;
    private transient Map<TransactionEvent, InboundTransaction> inbound;
    private transient int ended;

    public MerchantRiskOperator() {
        super("vigil-tx-merchant");
    }

    @Override
    public void open() throws Exception {
        super.open();
        items = new ArrayList<>();
        inbound = new IdentityHashMap<>();
    }

    @Override
    TypeSerializer<MerchantItem> eventSerializer() {
        return new TransactionSerializers.Item();
    }

    @Override
    TypeSerializer<MerchantRisk.State> stateSerializer() {
        return new TransactionSerializers.Merchant();
    }

    @Override
    Function<MerchantItem, String> keyOf() {
        return MerchantItem::merchant;
    }

    @Override
    ToLongFunction<MerchantItem> timeOf() {
        return MerchantItem::time;
    }

    @Override
    long lastTime(MerchantRisk.State s) {
        return s.lastTime;
    }

    @Override
    public void processElement1(StreamRecord<InboundTransaction> element) throws Exception {
        InboundTransaction in = element.getValue();
        if (in.tx.eventTime() <= watermark()) {
            MerchantRisk.State s = state();
            if (s != null && in.tx.eventTime() < s.lastTime) {
                output.collect(
                        LATE,
                        new StreamRecord<>(
                                TransactionRecords.late(in, s.lastTime, watermark(), "its merchant"),
                                element.getTimestamp()));
                return;
            }
        }
        hold(MerchantItem.of(in));
    }

    @Override
    public void processElement2(StreamRecord<Confirmation> element) {
        hold(MerchantItem.of(element.getValue()));
    }

    @Override
    void release(String key, List<MerchantItem> due) throws Exception {
        MerchantRisk.State s = state();
        long before = s == null ? Long.MIN_VALUE : s.lastTime;
        if (s == null) {
            s = new MerchantRisk.State();
        }
        items.clear();
        inbound.clear();
        for (MerchantItem i : due) { // due is sorted by time
            if (i.transaction != null) {
                items.add(MerchantRisk.of(i.transaction.tx));
                inbound.put(i.transaction.tx, i.transaction);
            } else {
                // a label behind the merchant's state counts from now: it was known later than it says
                Confirmation c = i.confirmation;
                items.add(
                        c.confirmedAt() < s.lastTime
                                ? MerchantRisk.of(
                                        new Confirmation(c.transactionId(), c.merchantId(), c.fraud(), s.lastTime))
                                : MerchantRisk.of(c));
            }
        }
        items.sort((a, b) -> Long.compare(a.time(), b.time()));
        MerchantRisk.process(s, items, (tx, reading) -> {
            InboundTransaction in = inbound.get(tx);
            in.risk = reading;
            output.collect(new StreamRecord<>(in, tx.eventTime()));
        });
        items.clear();
        inbound.clear();
        keep(s, before);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (++ended == 2) {
            finishInput();
        }
    }
}
