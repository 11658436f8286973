package io.vigil.job.transactions;

import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.state.FramedSerializer;
import io.vigil.job.state.FramedTypeInfo;
import io.vigil.scoring.transactions.AccountState;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.MerchantRisk;
import io.vigil.scoring.transactions.TimeBuckets;
import io.vigil.scoring.transactions.TransactionEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * How the transaction pipeline's records and state are written (format 1 of each): one block per record,
 * as the sensor pipeline's ({@link FramedSerializer}). A field added to a class here is added to its
 * serializer with a new format; {@code TransactionSerializersTest} checks every field survives.
 */
public final class TransactionSerializers {

    private TransactionSerializers() {}

    public static final FramedTypeInfo<InboundTransaction> INBOUND =
            new FramedTypeInfo<>(InboundTransaction.class, Inbound::new);
    public static final FramedTypeInfo<SensorEvent> FEATURED = new FramedTypeInfo<>(SensorEvent.class, Featured::new);
    public static final FramedTypeInfo<TransactionEnvelope> ENVELOPE =
            new FramedTypeInfo<>(TransactionEnvelope.class, Envelope::new);
    public static final FramedTypeInfo<Confirmation> CONFIRMATION =
            new FramedTypeInfo<>(Confirmation.class, Confirmed::new);

    static void writeTx(TransactionEvent e, DataOutputSerializer t) throws IOException {
        FramedSerializer.writeString(e.transactionId(), t);
        FramedSerializer.writeString(e.accountId(), t);
        t.writeLong(e.eventTime());
        t.writeDouble(e.amount());
        FramedSerializer.writeString(e.currency(), t);
        FramedSerializer.writeString(e.merchantId(), t);
        FramedSerializer.writeString(e.country(), t);
        FramedSerializer.writeString(e.category(), t);
        FramedSerializer.writeString(e.channel(), t);
    }

    static TransactionEvent readTx(DataInputDeserializer in) throws IOException {
        return new TransactionEvent(
                FramedSerializer.readString(in),
                FramedSerializer.readString(in),
                in.readLong(),
                in.readDouble(),
                FramedSerializer.readString(in),
                FramedSerializer.readString(in),
                FramedSerializer.readString(in),
                FramedSerializer.readString(in),
                FramedSerializer.readString(in));
    }

    static void writeInbound(InboundTransaction i, DataOutputSerializer t) throws IOException {
        writeTx(i.tx, t);
        t.writeLong(i.ingestTime);
        t.writeInt(i.partition);
        t.writeLong(i.offset);
        t.writeBoolean(i.risk != null);
        if (i.risk != null) {
            t.writeDouble(i.risk.share());
            t.writeInt(i.risk.frauds());
        }
    }

    static InboundTransaction readInbound(DataInputDeserializer in) throws IOException {
        InboundTransaction i = new InboundTransaction(readTx(in), in.readLong(), in.readInt(), in.readLong());
        if (in.readBoolean()) {
            i.risk = new MerchantRisk.Reading(in.readDouble(), in.readInt());
        }
        return i;
    }

    static void writeConfirmation(Confirmation c, DataOutputSerializer t) throws IOException {
        FramedSerializer.writeString(c.transactionId(), t);
        FramedSerializer.writeString(c.merchantId(), t);
        t.writeBoolean(c.fraud());
        t.writeLong(c.confirmedAt());
    }

    static Confirmation readConfirmation(DataInputDeserializer in) throws IOException {
        return new Confirmation(
                FramedSerializer.readString(in), FramedSerializer.readString(in), in.readBoolean(), in.readLong());
    }

    /** {@link InboundTransaction}: between the operators, and held by the account step. */
    public static final class Inbound extends FramedSerializer<InboundTransaction> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(InboundTransaction i, DataOutputSerializer t) throws IOException {
            writeInbound(i, t);
        }

        @Override
        protected InboundTransaction read(int format, DataInputDeserializer in) throws IOException {
            return readInbound(in);
        }

        @Override
        public InboundTransaction copy(InboundTransaction i) {
            InboundTransaction c = new InboundTransaction(i.tx, i.ingestTime, i.partition, i.offset);
            c.risk = i.risk; // both immutable
            return c;
        }

        @Override
        public InboundTransaction createInstance() {
            return new InboundTransaction();
        }

        @Override
        public TypeSerializerSnapshot<InboundTransaction> snapshotConfiguration() {
            return new InboundSnapshot();
        }
    }

    public static final class InboundSnapshot extends FramedSerializer.Snapshot<InboundTransaction> {
        public InboundSnapshot() {
            super(Inbound::new);
        }
    }

    /** {@link FeaturedTransaction}, into the scoring operator and held by it, as the {@link SensorEvent} it is. */
    public static final class Featured extends FramedSerializer<SensorEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(SensorEvent e, DataOutputSerializer t) throws IOException {
            FeaturedTransaction f = (FeaturedTransaction) e;
            writeTx(f.tx, t);
            writeDoubles(f.values, t);
            t.writeLong(f.ingestTime);
            t.writeInt(f.partition);
            t.writeLong(f.offset);
        }

        @Override
        protected SensorEvent read(int format, DataInputDeserializer in) throws IOException {
            InboundTransaction i = new InboundTransaction();
            i.tx = readTx(in);
            double[] values = readDoubles(in);
            i.ingestTime = in.readLong();
            i.partition = in.readInt();
            i.offset = in.readLong();
            return new FeaturedTransaction(i, values);
        }

        @Override
        public SensorEvent copy(SensorEvent e) {
            FeaturedTransaction f = (FeaturedTransaction) e;
            InboundTransaction i = new InboundTransaction(f.tx, f.ingestTime, f.partition, f.offset);
            return new FeaturedTransaction(i, f.values == null ? null : f.values.clone());
        }

        @Override
        public SensorEvent createInstance() {
            return new FeaturedTransaction();
        }

        @Override
        public TypeSerializerSnapshot<SensorEvent> snapshotConfiguration() {
            return new FeaturedSnapshot();
        }
    }

    public static final class FeaturedSnapshot extends FramedSerializer.Snapshot<SensorEvent> {
        public FeaturedSnapshot() {
            super(Featured::new);
        }
    }

    /** {@link TransactionEnvelope}: from the sources to the split of dead letters. */
    public static final class Envelope extends FramedSerializer<TransactionEnvelope> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(TransactionEnvelope e, DataOutputSerializer t) throws IOException {
            if (e.transaction != null) {
                t.writeByte(0);
                writeInbound(e.transaction, t);
            } else if (e.confirmation != null) {
                t.writeByte(1);
                writeConfirmation(e.confirmation, t);
            } else {
                t.writeByte(2);
                DeadLetter d = e.deadLetter;
                writeBytes(d.key, t);
                writeBytes(d.value, t);
                writeString(d.reason, t);
                writeString(d.detail, t);
                writeString(d.topic, t);
                t.writeInt(d.partition);
                t.writeLong(d.offset);
                t.writeLong(d.timestamp);
            }
        }

        @Override
        protected TransactionEnvelope read(int format, DataInputDeserializer in) throws IOException {
            int kind = in.readUnsignedByte();
            return switch (kind) {
                case 0 -> TransactionEnvelope.of(readInbound(in));
                case 1 -> TransactionEnvelope.of(readConfirmation(in));
                default ->
                    TransactionEnvelope.dead(new DeadLetter(
                            readBytes(in),
                            readBytes(in),
                            readString(in),
                            readString(in),
                            readString(in),
                            in.readInt(),
                            in.readLong(),
                            in.readLong()));
            };
        }

        @Override
        public TransactionEnvelope copy(TransactionEnvelope e) {
            TransactionEnvelope c = new TransactionEnvelope();
            c.transaction = e.transaction == null ? null : new Inbound().copy(e.transaction);
            c.confirmation = e.confirmation;
            c.deadLetter = e.deadLetter; // not changed downstream
            return c;
        }

        @Override
        public TransactionEnvelope createInstance() {
            return new TransactionEnvelope();
        }

        @Override
        public TypeSerializerSnapshot<TransactionEnvelope> snapshotConfiguration() {
            return new EnvelopeSnapshot();
        }
    }

    public static final class EnvelopeSnapshot extends FramedSerializer.Snapshot<TransactionEnvelope> {
        public EnvelopeSnapshot() {
            super(Envelope::new);
        }
    }

    /** A {@link Confirmation}, from the labels' decoding to the merchant step. */
    public static final class Confirmed extends FramedSerializer<Confirmation> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(Confirmation c, DataOutputSerializer t) throws IOException {
            writeConfirmation(c, t);
        }

        @Override
        protected Confirmation read(int format, DataInputDeserializer in) throws IOException {
            return readConfirmation(in);
        }

        @Override
        public Confirmation copy(Confirmation c) {
            return c; // immutable
        }

        @Override
        public Confirmation createInstance() {
            return new Confirmation("", "", false, 0);
        }

        @Override
        public TypeSerializerSnapshot<Confirmation> snapshotConfiguration() {
            return new ConfirmedSnapshot();
        }
    }

    public static final class ConfirmedSnapshot extends FramedSerializer.Snapshot<Confirmation> {
        public ConfirmedSnapshot() {
            super(Confirmed::new);
        }
    }

    /** {@link MerchantItem}, held by the merchant step. */
    public static final class Item extends FramedSerializer<MerchantItem> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(MerchantItem i, DataOutputSerializer t) throws IOException {
            t.writeBoolean(i.transaction != null);
            if (i.transaction != null) {
                writeInbound(i.transaction, t);
            } else {
                writeConfirmation(i.confirmation, t);
            }
        }

        @Override
        protected MerchantItem read(int format, DataInputDeserializer in) throws IOException {
            return in.readBoolean() ? MerchantItem.of(readInbound(in)) : MerchantItem.of(readConfirmation(in));
        }

        @Override
        public MerchantItem copy(MerchantItem i) {
            return i.transaction != null
                    ? MerchantItem.of(new Inbound().copy(i.transaction))
                    : MerchantItem.of(i.confirmation);
        }

        @Override
        public MerchantItem createInstance() {
            return new MerchantItem();
        }

        @Override
        public TypeSerializerSnapshot<MerchantItem> snapshotConfiguration() {
            return new ItemSnapshot();
        }
    }

    public static final class ItemSnapshot extends FramedSerializer.Snapshot<MerchantItem> {
        public ItemSnapshot() {
            super(Item::new);
        }
    }

    /** An account's {@link AccountState} in keyed state. */
    public static final class Account extends FramedSerializer<AccountState> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(AccountState s, DataOutputSerializer t) throws IOException {
            t.writeLong(s.lastTime);
            t.writeLong(s.count);
            for (long v : s.recent) {
                t.writeLong(v);
            }
            for (float v : s.amounts) {
                t.writeFloat(v);
            }
            writeBuckets(s.minutes, t);
            writeBuckets(s.hours, t);
            writeBuckets(s.days, t);
            for (int i = 0; i < AccountState.MERCHANTS; i++) {
                t.writeLong(s.merchants[i]);
                t.writeInt(s.merchantSeen[i]);
            }
            for (int i = 0; i < AccountState.COUNTRIES; i++) {
                t.writeLong(s.countries[i]);
                t.writeInt(s.countrySeen[i]);
            }
        }

        @Override
        protected AccountState read(int format, DataInputDeserializer in) throws IOException {
            AccountState s = new AccountState();
            s.lastTime = in.readLong();
            s.count = in.readLong();
            for (int i = 0; i < AccountState.RECENT; i++) {
                s.recent[i] = in.readLong();
            }
            for (int i = 0; i < AccountState.AMOUNTS; i++) {
                s.amounts[i] = in.readFloat();
            }
            readBuckets(s.minutes, in);
            readBuckets(s.hours, in);
            readBuckets(s.days, in);
            for (int i = 0; i < AccountState.MERCHANTS; i++) {
                s.merchants[i] = in.readLong();
                s.merchantSeen[i] = in.readInt();
            }
            for (int i = 0; i < AccountState.COUNTRIES; i++) {
                s.countries[i] = in.readLong();
                s.countrySeen[i] = in.readInt();
            }
            return s;
        }

        @Override
        public AccountState copy(AccountState s) {
            return copyThroughBytes(s, 1400);
        }

        @Override
        public AccountState createInstance() {
            return new AccountState();
        }

        @Override
        public TypeSerializerSnapshot<AccountState> snapshotConfiguration() {
            return new AccountSnapshot();
        }
    }

    public static final class AccountSnapshot extends FramedSerializer.Snapshot<AccountState> {
        public AccountSnapshot() {
            super(Account::new);
        }
    }

    /** A merchant's {@link MerchantRisk.State} in keyed state. */
    public static final class Merchant extends FramedSerializer<MerchantRisk.State> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(MerchantRisk.State s, DataOutputSerializer t) throws IOException {
            t.writeLong(s.lastTime);
            writeBuckets(s.transactions, t);
            writeBuckets(s.frauds, t);
        }

        @Override
        protected MerchantRisk.State read(int format, DataInputDeserializer in) throws IOException {
            MerchantRisk.State s = new MerchantRisk.State();
            s.lastTime = in.readLong();
            readBuckets(s.transactions, in);
            readBuckets(s.frauds, in);
            return s;
        }

        @Override
        public MerchantRisk.State copy(MerchantRisk.State s) {
            return copyThroughBytes(s, 512);
        }

        @Override
        public MerchantRisk.State createInstance() {
            return new MerchantRisk.State();
        }

        @Override
        public TypeSerializerSnapshot<MerchantRisk.State> snapshotConfiguration() {
            return new MerchantSnapshot();
        }
    }

    public static final class MerchantSnapshot extends FramedSerializer.Snapshot<MerchantRisk.State> {
        public MerchantSnapshot() {
            super(Merchant::new);
        }
    }

    static void writeBuckets(TimeBuckets b, DataOutputSerializer t) throws IOException {
        t.writeLong(b.newest);
        for (int i = 0; i < b.counts.length; i++) {
            t.writeInt(b.counts[i]);
            t.writeFloat(b.sums[i]);
        }
    }

    static void readBuckets(TimeBuckets b, DataInputDeserializer in) throws IOException {
        b.newest = in.readLong();
        for (int i = 0; i < b.counts.length; i++) {
            b.counts[i] = in.readInt();
            b.sums[i] = in.readFloat();
        }
    }
}
