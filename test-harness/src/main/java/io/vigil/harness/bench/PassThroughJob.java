package io.vigil.harness.bench;

import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.Envelope;
import io.vigil.job.io.KafkaIO;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ReadingDecoder;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.job.transactions.InboundTransaction;
import io.vigil.job.transactions.TransactionConfig;
import io.vigil.job.transactions.TransactionPipeline;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark's baselines: Vigil's job with the scoring taken out. The same Kafka source with in-source
 * decoding and validation, the same event-time watermarks, keyBy (entity, or account) and exactly-once
 * Kafka sinks (scores and dead letters), built from the job's own classes and {@link VigilJob#configure};
 * in place of the scoring (for transactions: the features and the scoring) a stateless map encodes one
 * small {@link EventScore} (score 0) per event. Whatever the real job costs beyond this is the cost of
 * scoring.
 */
public final class PassThroughJob {

    /** The pass-through's keyed task over readings, whose progress the benchmark measures. */
    public static final String ENCODE = "encode (no scoring)";
    /** The pass-through's keyed task over transactions. */
    public static final String ENCODE_TRANSACTIONS = "encode transactions (no scoring)";

    private PassThroughJob() {}

    /** Builds the pipeline into {@code env} without executing it; output goes to {@code config.scoresTopic()}. */
    public static void wireKafka(StreamExecutionEnvironment env, JobConfig config) {
        ModelSource models = new ModelSource(config.modelStore(), config.modelId());
        String version = models.resolve(config.modelVersion());
        // The features of the model the real job would score with, so decoding and validation are the same.
        FeatureSpec features = new FeatureSpec(models.manifest(version).features());
        VigilJob.configure(env, config);
        ReadingDecoder decoder = new ReadingDecoder(features, config.maxFuture(), Clock.systemUTC());
        DataStream<Envelope> readings = VigilJob.readings(env, config, decoder);
        SingleOutputStreamOperator<SensorEvent> events = VigilJob.decoded(readings);
        encodeAndSink(
                events.keyBy(e -> e.entityId, TypeInformation.of(String.class)),
                e -> score(e.entityId, e.eventTime, e.ingestTime),
                ENCODE,
                KafkaIO.messages(config, scoresTopic(config.scoresTopic()), "scores"),
                events.getSideOutput(VigilJob.UNDECODABLE),
                KafkaIO.deadLetters(config));
    }

    /**
     * The same over transactions ({@code streams=transactions}): the transaction pipeline's source, decoding
     * and validation, watermarks, keyBy(account), one record per transaction to {@code
     * transactions.topic.scores}; no features, no models.
     */
    public static void wireTransactions(StreamExecutionEnvironment env, JobConfig config) {
        TransactionConfig t = config.transactions();
        if (t == null) {
            throw new IllegalArgumentException("the transaction pass-through reads transactions: set streams");
        }
        VigilJob.configure(env, config);
        SingleOutputStreamOperator<InboundTransaction> transactions =
                TransactionPipeline.decoded(TransactionPipeline.source(env, config, t.inputTopic()));
        encodeAndSink(
                transactions.keyBy(i -> i.tx.accountId(), TypeInformation.of(String.class)),
                i -> score(i.tx.accountId(), i.tx.eventTime(), i.ingestTime),
                ENCODE_TRANSACTIONS,
                KafkaIO.messages(config, scoresTopic(t.scoresTopic()), "scores"),
                transactions.getSideOutput(TransactionPipeline.UNDECODABLE),
                KafkaIO.deadLetters(config, t.deadLetterTopic(), "dead-letter"));
    }

    private static String scoresTopic(String topic) {
        if (topic.isEmpty()) {
            throw new IllegalArgumentException(
                    "the pass-through job writes one record per event to the scores topic; set it");
        }
        return topic;
    }

    /** The keyed task (a stateless encode of one record per event) and the sinks every pass-through shares. */
    private static <T> void encodeAndSink(
            KeyedStream<T, String> events,
            MapFunction<T, KafkaMessage> encode,
            String name,
            Sink<KafkaMessage> scores,
            DataStream<DeadLetter> deadLetters,
            Sink<DeadLetter> deadLetterSink) {
        events.map(encode)
                .returns(KafkaMessage.class)
                .name(name)
                .uid("encode")
                .sinkTo(scores)
                .name("scores")
                .uid("sink-scores");
        deadLetters.sinkTo(deadLetterSink).name("dead letters").uid("sink-dead-letter");
    }

    /** One EventScore per event, shaped like the real job's (same fields, same encoder), with score 0. */
    static KafkaMessage score(String key, long eventTime, long ingestTime) {
        EventScore score = EventScore.newBuilder()
                .setEntityId(key)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setScore(0)
                .setLstmError(0)
                .setAeError(0)
                .setThreshold(1)
                .setAnomalous(false)
                .setWarm(false)
                .setModelId("passthrough")
                .setModelVersion("-")
                .setIngestTime(Instant.ofEpochMilli(ingestTime))
                .build();
        return new KafkaMessage(
                key.getBytes(StandardCharsets.UTF_8), WireFormat.encode(score), System.currentTimeMillis());
    }
}
