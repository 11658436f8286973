package io.vigil.job.transactions;

import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.EventTimeWatermarks;
import io.vigil.job.io.KafkaIO;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.metrics.VigilMetrics;
import io.vigil.job.model.ModelSource;
import io.vigil.job.operator.ScoringOperator;
import io.vigil.job.operator.ScoringSettings;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.transactions.Confirmation;
import io.vigil.scoring.transactions.TransactionFeatures;
import java.time.Clock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The transaction pipeline: transactions (and, with feedback, confirmed labels) from Kafka, decoded and
 * validated in the source; per merchant, the confirmed-fraud risk (with feedback only,
 * {@link MerchantRiskOperator}); per account, the features ({@link AccountFeatureOperator}); then the same
 * scoring operator as sensors, with the transaction model, and its own alert, score and dead-letter
 * topics. Every stateful operator has a uid starting {@code tx-}, so it lives beside the sensor pipeline
 * in one job and savepoints survive upgrades.
 *
 * <pre>
 * transactions ─ decode ─┬─ [keyBy merchant ─ merchant risk ◄─ keyBy merchant ─ decode ─ labels] ─ keyBy account
 *                        └─ dead letters                      ─ account features ─ scoring ◄─ model updates
 * </pre>
 */
public final class TransactionPipeline {

    /** Watermark alignment group of the transaction sources. */
    public static final String ALIGNMENT_GROUP = "vigil-transactions";

    private TransactionPipeline() {}

    /**
     * Builds the pipeline, reading and writing Kafka, into {@code env}; resolves the transaction model's
     * version (so a missing or wrong model fails here, at submission) and returns the configuration with it.
     *
     * @param updates the job's model-updates stream (shared with the sensor pipeline when both run)
     */
    public static JobConfig wireKafka(
            StreamExecutionEnvironment env, JobConfig config, DataStream<ModelUpdate> updates) {
        TransactionConfig t = config.transactions();
        ModelSource source = new ModelSource(config.modelStore(), t.modelId());
        TransactionConfig resolved = t.withModelVersion(source.resolve(t.modelVersion()));
        BundleManifest manifest = source.manifest(resolved.modelVersion());
        boolean merchantRisk = features(manifest, resolved).merchantRisk();
        DataStream<TransactionEnvelope> transactions = source(env, config, resolved.inputTopic());
        DataStream<TransactionEnvelope> labels = !merchantRisk
                ? null
                : env.fromSource(
                                KafkaIO.input(config, resolved.labelsTopic(), new Deserializer(decoder(config), true)),
                                watermarks(config),
                                "confirmed labels")
                        .uid("tx-source-labels");
        VigilJob.Sinks sinks = new VigilJob.Sinks(
                KafkaIO.messages(config, resolved.alertsTopic(), "tx-alerts"),
                resolved.emitScores() ? KafkaIO.messages(config, resolved.scoresTopic(), "tx-scores") : null,
                KafkaIO.deadLetters(config, resolved.deadLetterTopic(), "tx-dead-letter"));
        buildPipeline(transactions, labels, updates, sinks, settings(config, resolved, manifest));
        return config.withTransactions(resolved);
    }

    /**
     * The transactions of {@code topic}, decoded and validated in the Kafka source (what cannot be used
     * becomes a dead letter there), with the pipeline's event-time watermarks (operator uid "tx-source"); the
     * benchmark's pass-through reads its input the same way.
     */
    public static DataStream<TransactionEnvelope> source(
            StreamExecutionEnvironment env, JobConfig config, String topic) {
        return env.fromSource(
                        KafkaIO.input(config, topic, new Deserializer(decoder(config), false)),
                        watermarks(config),
                        "transactions")
                .uid("tx-source");
    }

    private static TransactionDecoder decoder(JobConfig config) {
        return new TransactionDecoder(config.maxFuture(), Clock.systemUTC());
    }

    /**
     * The valid transactions of {@code transactions}, with its dead letters as the {@link #UNDECODABLE} side
     * output, counted by reason (operator uid "tx-decode").
     */
    public static SingleOutputStreamOperator<InboundTransaction> decoded(DataStream<TransactionEnvelope> transactions) {
        return transactions
                .process(new Split())
                .returns(TransactionSerializers.INBOUND)
                .name("decode + validate transactions")
                .uid("tx-decode");
    }

    /** What the decoding step could not use, as dead letters with their reason. */
    public static final OutputTag<DeadLetter> UNDECODABLE = Split.DEAD;

    /** The transaction features of a bundle, checked against what the job can feed it. */
    static TransactionFeatures features(BundleManifest manifest, TransactionConfig t) {
        TransactionFeatures f;
        try {
            f = TransactionFeatures.of(manifest.features());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Model " + manifest.modelId() + "/" + manifest.version() + " (" + VigilOptions.TX_MODEL_ID.key()
                            + ") is not a transaction model: " + e.getMessage(),
                    e);
        }
        if (f.merchantRisk() && !t.labels()) {
            throw new IllegalArgumentException("Model " + manifest.modelId() + "/" + manifest.version() + " was trained"
                    + " with merchant risk (confirmed-fraud feedback), so the job needs the confirmed labels: set --"
                    + VigilOptions.TX_TOPIC_LABELS.key() + " (or score with a model trained without --merchant-risk)");
        }
        return f;
    }

    /** The scoring settings of the transaction pipeline: the job's, with the transaction model and records. */
    public static ScoringSettings settings(JobConfig config, TransactionConfig t, BundleManifest manifest) {
        return new ScoringSettings(
                new ModelSource(config.modelStore(), t.modelId()),
                t.modelVersion(),
                new FeatureSpec(manifest.features()),
                config.scorerSettings(),
                TransactionFeatures.STATE_TTL,
                t.emitScores(),
                null,
                null,
                TransactionRecords.INSTANCE);
    }

    private static WatermarkStrategy<TransactionEnvelope> watermarks(JobConfig config) {
        return EventTimeWatermarks.aligned(
                EventTimeWatermarks.<TransactionEnvelope>strategy(
                        config.outOfOrderness(), config.idleTimeout(), TransactionPipeline::eventTime),
                config.alignmentMaxDrift(),
                ALIGNMENT_GROUP);
    }

    static long eventTime(TransactionEnvelope e) {
        if (e.transaction != null) {
            return e.transaction.tx.eventTime();
        }
        return e.confirmation != null ? e.confirmation.confirmedAt() : EventTimeWatermarks.NOT_AN_EVENT;
    }

    /**
     * Builds the graph from decoded transactions and labels (with event-time watermarks; {@code labels} null
     * without feedback) and model updates to the sinks. With {@code labels} the settings' model must have
     * the merchant-risk features, without them it must not.
     */
    public static void buildPipeline(
            DataStream<TransactionEnvelope> transactions,
            DataStream<TransactionEnvelope> labels,
            DataStream<ModelUpdate> updates,
            VigilJob.Sinks sinks,
            ScoringSettings settings) {
        boolean merchantRisk =
                TransactionFeatures.of(settings.features().names()).merchantRisk();
        if (merchantRisk != (labels != null)) {
            throw new IllegalArgumentException(
                    merchantRisk
                            ? "A merchant-risk model needs the confirmed labels"
                            : "Confirmed labels are given but the model has no merchant-risk features");
        }
        SingleOutputStreamOperator<InboundTransaction> decoded = decoded(transactions);
        DataStream<DeadLetter> dead = decoded.getSideOutput(Split.DEAD);
        DataStream<Confirmation> confirmations = null;
        if (labels != null) {
            SingleOutputStreamOperator<InboundTransaction> confirmed = labels.process(new Split())
                    .returns(TransactionSerializers.INBOUND)
                    .name("decode + validate confirmed labels")
                    .uid("tx-labels-decode");
            dead = dead.union(confirmed.getSideOutput(Split.DEAD));
            confirmations = confirmed.getSideOutput(Split.CONFIRMED);
        }
        Features f = features(decoded, confirmations);
        SingleOutputStreamOperator<SensorEvent> featured = f.featured();
        dead = dead.union(f.late());
        // the features leave the account step keyed by account already: no second shuffle
        KeyedStream<SensorEvent, String> byAccount =
                DataStreamUtils.reinterpretAsKeyedStream(featured, e -> e.entityId, Types.STRING);
        SingleOutputStreamOperator<KafkaMessage> alerts = byAccount
                .connect(updates.broadcast())
                .transform(
                        "score transactions (LSTM + autoencoder)",
                        TypeInformation.of(KafkaMessage.class),
                        new ScoringOperator(settings))
                .uid("tx-scoring");
        alerts.sinkTo(sinks.alerts()).name("transaction alerts").uid("tx-sink-alerts");
        if (sinks.scores() != null) {
            alerts.getSideOutput(ScoringOperator.SCORES)
                    .sinkTo(sinks.scores())
                    .name("transaction scores")
                    .uid("tx-sink-scores");
        }
        dead.union(alerts.getSideOutput(ScoringOperator.LATE))
                .sinkTo(sinks.deadLetters())
                .name("transaction dead letters")
                .uid("tx-sink-dead-letter");
    }

    /**
     * The features of each transaction: its account's features (in event-time order per account) and,
     * with {@code confirmations}, its merchant's confirmed-fraud risk; {@code late} are the transactions and
     * confirmations behind the watermark, as dead letters.
     */
    public record Features(SingleOutputStreamOperator<SensorEvent> featured, DataStream<DeadLetter> late) {}

    /**
     * The feature steps of the pipeline, from valid transactions and (null without feedback) confirmations
     * with event-time watermarks; what leaves is keyed by account ({@link FeaturedTransaction}s).
     */
    public static Features features(
            DataStream<InboundTransaction> transactions, DataStream<Confirmation> confirmations) {
        DataStream<InboundTransaction> risked = transactions;
        DataStream<DeadLetter> late = null;
        if (confirmations != null) {
            SingleOutputStreamOperator<InboundTransaction> merchants = transactions
                    .keyBy(i -> i.tx.merchantId(), Types.STRING)
                    .connect(confirmations.keyBy(Confirmation::merchantId, Types.STRING))
                    .transform(
                            "merchant risk (confirmed frauds)",
                            TransactionSerializers.INBOUND,
                            new MerchantRiskOperator())
                    .uid("tx-merchant");
            late = merchants.getSideOutput(MerchantRiskOperator.LATE);
            risked = merchants;
        }
        SingleOutputStreamOperator<SensorEvent> featured = risked.keyBy(i -> i.tx.accountId(), Types.STRING)
                .transform(
                        "account features",
                        TransactionSerializers.FEATURED,
                        new AccountFeatureOperator(confirmations != null))
                .uid("tx-account");
        DataStream<DeadLetter> accountLate = featured.getSideOutput(AccountFeatureOperator.LATE);
        return new Features(featured, late == null ? accountLate : late.union(accountLate));
    }

    /** Transactions go on, confirmed labels and dead letters to side outputs (dead letters counted by reason). */
    static final class Split extends ProcessFunction<TransactionEnvelope, InboundTransaction> {
        private static final long serialVersionUID = 1L;
        static final OutputTag<DeadLetter> DEAD =
                new OutputTag<>("tx-undecodable", TypeInformation.of(DeadLetter.class));
        static final OutputTag<Confirmation> CONFIRMED =
                new OutputTag<>("tx-confirmed", TransactionSerializers.CONFIRMATION);
        private transient VigilMetrics.DeadLetters deadLetters;

        @Override
        public void open(OpenContext context) {
            deadLetters = VigilMetrics.DeadLetters.register(
                    getRuntimeContext().getMetricGroup(), DeadLetter.TRANSACTION_REASONS);
        }

        @Override
        public void processElement(TransactionEnvelope e, Context ctx, Collector<InboundTransaction> out) {
            if (e.transaction != null) {
                out.collect(e.transaction);
            } else if (e.confirmation != null) {
                ctx.output(CONFIRMED, e.confirmation);
            } else {
                deadLetters.inc(e.deadLetter.reason);
                ctx.output(DEAD, e.deadLetter);
            }
        }
    }

    /** Never throws: everything that is not a good transaction or label becomes a dead letter. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<TransactionEnvelope> {
        private static final long serialVersionUID = 1L;
        private final TransactionDecoder decoder;
        private final boolean labels;

        Deserializer(TransactionDecoder decoder, boolean labels) {
            this.decoder = decoder;
            this.labels = labels;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {}

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<TransactionEnvelope> out) {
            out.collect(
                    labels
                            ? decoder.label(r.key(), r.value(), r.topic(), r.partition(), r.offset(), r.timestamp())
                            : decoder.transaction(
                                    r.key(), r.value(), r.topic(), r.partition(), r.offset(), r.timestamp()));
        }

        @Override
        public TypeInformation<TransactionEnvelope> getProducedType() {
            return TransactionSerializers.ENVELOPE;
        }
    }
}
