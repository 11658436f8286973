package io.vigil.harness.bench;

import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.io.Envelope;
import io.vigil.job.io.KafkaIO;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ReadingDecoder;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.model.ModelSource;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.FeatureSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark's baseline: Vigil's job with the scoring taken out. The same Kafka source with in-source
 * decoding and validation, the same event-time watermarks, keyBy(entity) and exactly-once Kafka sinks
 * (scores and dead letters), built from the job's own classes and {@link VigilJob#configure}; in place of
 * the scoring operator a stateless map encodes one small {@link EventScore} (score 0) per event.
 * Whatever the real job costs beyond this is the cost of scoring.
 */
public final class PassThroughJob {

    private PassThroughJob() {}

    /** Builds the pipeline into {@code env} without executing it; output goes to {@code config.scoresTopic()}. */
    public static void wireKafka(StreamExecutionEnvironment env, JobConfig config) {
        if (!config.emitScores()) {
            throw new IllegalArgumentException(
                    "the pass-through job writes one record per event to topic.scores;" + " set it");
        }
        ModelSource models = new ModelSource(config.modelStore(), config.modelId());
        String version = models.resolve(config.modelVersion());
        // The features of the model the real job would score with, so decoding and validation are the same.
        FeatureSpec features = new FeatureSpec(models.manifest(version).features());
        VigilJob.configure(env, config);
        ReadingDecoder decoder = new ReadingDecoder(features, config.maxFuture(), Clock.systemUTC());
        DataStream<Envelope> readings = VigilJob.readings(env, config, decoder);
        SingleOutputStreamOperator<SensorEvent> events = VigilJob.decoded(readings);
        events.keyBy(e -> e.entityId, TypeInformation.of(String.class))
                .map(new EncodeScore())
                .name("encode (no scoring)")
                .uid("encode")
                .sinkTo(KafkaIO.messages(config, config.scoresTopic(), "scores"))
                .name("scores")
                .uid("sink-scores");
        events.getSideOutput(VigilJob.UNDECODABLE)
                .sinkTo(KafkaIO.deadLetters(config))
                .name("dead letters")
                .uid("sink-dead-letter");
    }

    /** One EventScore per event, shaped like the real job's (same fields, same encoder), with score 0. */
    static final class EncodeScore implements MapFunction<SensorEvent, KafkaMessage> {
        private static final long serialVersionUID = 1L;

        @Override
        public KafkaMessage map(SensorEvent e) {
            long now = System.currentTimeMillis();
            EventScore score = EventScore.newBuilder()
                    .setEntityId(e.entityId)
                    .setEventTime(Instant.ofEpochMilli(e.eventTime))
                    .setScore(0)
                    .setLstmError(0)
                    .setAeError(0)
                    .setThreshold(1)
                    .setAnomalous(false)
                    .setWarm(false)
                    .setModelId("passthrough")
                    .setModelVersion("-")
                    .setIngestTime(Instant.ofEpochMilli(e.ingestTime))
                    .build();
            return new KafkaMessage(e.entityId.getBytes(StandardCharsets.UTF_8), WireFormat.encode(score), now);
        }
    }
}
