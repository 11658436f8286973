package io.vigil.job.transactions;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.SensorEvent;
import io.vigil.scoring.transactions.AccountState;
import io.vigil.scoring.transactions.MerchantRisk;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The account step (keyed by account): each account's transactions, once the watermark has passed them,
 * in {@link TransactionEvent#ORDER}, through {@link TransactionFeatures} with the account's
 * {@link AccountState} from keyed state: out come their feature vectors ({@link FeaturedTransaction}) for
 * the scoring operator, in event-time order per account. A transaction behind one its account has already
 * taken in (later than the watermark's wait allows) would change features already computed: it is
 * dead-lettered as late.
 */
public final class AccountFeatureOperator extends HoldingOperator<InboundTransaction, AccountState, SensorEvent>
        implements OneInputStreamOperator<InboundTransaction, SensorEvent>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> LATE =
            new OutputTag<>("tx-account-late", TypeInformation.of(DeadLetter.class));

    private final boolean merchantRisk;
    private transient TransactionFeatures features;
    private transient List<InboundTransaction> sorted;

    /** @param merchantRisk whether the model's features end with the merchant risk (set upstream) */
    public AccountFeatureOperator(boolean merchantRisk) {
        super("vigil-tx-account");
        this.merchantRisk = merchantRisk;
    }

    @Override
    public void open() throws Exception {
        super.open();
        features = TransactionFeatures.create(merchantRisk);
        sorted = new ArrayList<>();
    }

    @Override
    TypeSerializer<InboundTransaction> eventSerializer() {
        return new TransactionSerializers.Inbound();
    }

    @Override
    TypeSerializer<AccountState> stateSerializer() {
        return new TransactionSerializers.Account();
    }

    @Override
    Function<InboundTransaction, String> keyOf() {
        return i -> i.tx.accountId();
    }

    @Override
    ToLongFunction<InboundTransaction> timeOf() {
        return i -> i.tx.eventTime();
    }

    @Override
    long lastTime(AccountState s) {
        return s.lastTime;
    }

    @Override
    public void processElement(StreamRecord<InboundTransaction> element) throws Exception {
        InboundTransaction in = element.getValue();
        if (in.tx.eventTime() <= watermark()) {
            AccountState s = state();
            if (s != null && in.tx.eventTime() < s.lastTime) {
                output.collect(
                        LATE,
                        new StreamRecord<>(
                                TransactionRecords.late(in, s.lastTime, watermark(), "its account"),
                                element.getTimestamp()));
                return;
            }
        }
        hold(in);
    }

    @Override
    void release(String key, List<InboundTransaction> due) throws Exception {
        sorted.clear();
        sorted.addAll(due);
        sorted.sort((a, b) -> TransactionEvent.ORDER.compare(a.tx, b.tx));
        AccountState s = state();
        long before = s == null ? Long.MIN_VALUE : s.lastTime;
        if (s == null) {
            s = new AccountState();
        }
        for (InboundTransaction in : sorted) {
            if (s.lastTime != Long.MIN_VALUE && in.tx.eventTime() < s.lastTime) {
                output.collect(
                        LATE,
                        new StreamRecord<>(
                                TransactionRecords.late(in, s.lastTime, watermark(), "its account"),
                                in.tx.eventTime()));
                continue;
            }
            double[] vector = new double[features.size()];
            features.next(s, in.tx, in.risk == null ? MerchantRisk.Reading.NONE : in.risk, vector);
            output.collect(new StreamRecord<>(new FeaturedTransaction(in, vector), in.tx.eventTime()));
        }
        sorted.clear();
        keep(s, before);
    }

    @Override
    public void endInput() throws Exception {
        finishInput();
    }
}
