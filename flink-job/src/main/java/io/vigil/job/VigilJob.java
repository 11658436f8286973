package io.vigil.job;

import io.vigil.job.config.JobConfig;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.Envelope;
import io.vigil.job.io.EventTimeWatermarks;
import io.vigil.job.io.KafkaIO;
import io.vigil.job.io.KafkaMessage;
import io.vigil.job.io.ModelUpdate;
import io.vigil.job.io.ReadingDecoder;
import io.vigil.job.io.SensorEvent;
import io.vigil.job.metrics.VigilMetrics;
import io.vigil.job.model.ModelSource;
import io.vigil.job.operator.ScoringOperator;
import io.vigil.job.operator.ScoringSettings;
import io.vigil.job.operator.SensorRecords;
import io.vigil.job.transactions.TransactionPipeline;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.bundle.BundleBytes;
import io.vigil.scoring.bundle.BundleManifest;
import java.time.Clock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Vigil job: readings from Kafka, per-key stateful LSTM + autoencoder scoring, alerts to Kafka.
 *
 * <p>{@link #main} only parses the configuration and wires real Kafka sources and sinks into
 * {@link #buildPipeline}; tests wire their own.
 */
public final class VigilJob {

    /** Dead letters found while decoding (before keyBy). */
    public static final OutputTag<DeadLetter> UNDECODABLE =
            new OutputTag<>("undecodable", TypeInformation.of(DeadLetter.class));

    private VigilJob() {}

    /** Where the pipeline writes; {@code scores} may be null when per-event scores are not wanted. */
    public record Sinks(Sink<KafkaMessage> alerts, Sink<KafkaMessage> scores, Sink<DeadLetter> deadLetters) {}

    public static void main(String[] args) throws Exception {
        if (JobConfig.helpRequested(args)) {
            System.out.println(JobConfig.describeOptions());
            return;
        }
        JobConfig config = JobConfig.fromArgs(args);
        KafkaIO.checkAccess(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        config = wireKafka(env, config);
        env.execute(jobName(config));
    }

    /** "Vigil: sensors on vigil-readings", with the transaction model and topic when that pipeline runs too. */
    public static String jobName(JobConfig config) {
        String sensors = config.sensors() ? config.modelId() + " on " + config.readingsTopic() : "";
        String transactions = config.transactions() == null
                ? ""
                : config.transactions().modelId() + " on "
                        + config.transactions().inputTopic();
        return "Vigil: " + sensors + (sensors.isEmpty() || transactions.isEmpty() ? "" : ", ") + transactions;
    }

    /**
     * Builds the production pipeline (Kafka in, Kafka out) into {@code env} without executing it.
     * Resolves the model version at submission, so a missing model fails here with a clear message,
     * and returns the configuration with the concrete version.
     */
    public static JobConfig wireKafka(StreamExecutionEnvironment env, JobConfig config) {
        if (!config.sensors()) {
            configure(env, config);
            return TransactionPipeline.wireKafka(env, config, modelUpdates(env, config));
        }
        ModelSource source = new ModelSource(config.modelStore(), config.modelId());
        JobConfig resolved = config.withModelVersion(source.resolve(config.modelVersion()));
        // read and verified once here; the job starts with exactly these files, whatever the store does later
        BundleBytes bundle = source.capture(resolved.modelVersion());
        BundleManifest manifest = ModelSource.manifest(bundle);
        configure(env, resolved);
        ReadingDecoder decoder = new ReadingDecoder(
                new FeatureSpec(manifest.features()), resolved.maxFuture(), Clock.systemUTC(), resolved.schemaStore());
        DataStream<Envelope> readings = readings(env, resolved, decoder);
        DataStream<ModelUpdate> updates = modelUpdates(env, resolved);
        Sinks sinks = new Sinks(
                KafkaIO.messages(resolved, resolved.alertsTopic(), "alerts"),
                resolved.emitScores() ? KafkaIO.messages(resolved, resolved.scoresTopic(), "scores") : null,
                KafkaIO.deadLetters(resolved));
        buildPipeline(readings, updates, sinks, settings(resolved, manifest, bundle));
        return resolved.transactions() == null ? resolved : TransactionPipeline.wireKafka(env, resolved, updates);
    }

    /** The model announcements, one source for the job (each pipeline takes its own model's). */
    private static DataStream<ModelUpdate> modelUpdates(StreamExecutionEnvironment env, JobConfig config) {
        return env.fromSource(KafkaIO.modelUpdates(config), WatermarkStrategy.noWatermarks(), "model-updates")
                .uid("source-model-updates");
    }

    /** The scoring settings for a job configuration and the manifest of the model it starts with. */
    public static ScoringSettings settings(JobConfig config, BundleManifest manifest) {
        return settings(config, manifest, null);
    }

    /**
     * The scoring settings for a job configuration and the model it starts with: its manifest and, when
     * not null, its files as verified at submission ({@code bundle}).
     */
    public static ScoringSettings settings(JobConfig config, BundleManifest manifest, BundleBytes bundle) {
        return new ScoringSettings(
                new ModelSource(config.modelStore(), config.modelId()),
                config.modelVersion(),
                new FeatureSpec(manifest.features()),
                config.scorerSettings(),
                config.stateTtl(),
                config.emitScores(),
                bundle,
                config.outOfOrderness(),
                SensorRecords.INSTANCE);
    }

    /** Network buffers are sent when full or after this long (Flink's default is 100 ms). */
    public static final long DEFAULT_BUFFER_TIMEOUT_MILLIS = 10;
    /** Each source split emits its watermark this often. */
    public static final long DEFAULT_WATERMARK_INTERVAL_MILLIS = 20;

    /**
     * Applies the Flink settings given with the job; where neither they nor the cluster's
     * configuration set them, checkpoints every 10 s, watermarks every 20 ms and network buffers sent
     * after 10 ms at the latest. A reading is scored only once a watermark has passed it, and watermarks
     * travel in the network buffers behind the readings: with Flink's 100 ms buffer timeout and 50 ms
     * watermarks the median latency at half the maximum load was 204 ms, with these 69 ms, for the same
     * throughput (docs/benchmarks.md, "Where Vigil's latency comes from").
     */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        env.configure(Configuration.fromMap(config.flinkSettings()));
        if (env.getCheckpointInterval() <= 0) {
            env.enableCheckpointing(10_000);
        }
        if (env.getConfiguration()
                .getOptional(PipelineOptions.AUTO_WATERMARK_INTERVAL)
                .isEmpty()) {
            env.getConfig().setAutoWatermarkInterval(DEFAULT_WATERMARK_INTERVAL_MILLIS);
        }
        if (env.getConfiguration().getOptional(ExecutionOptions.BUFFER_TIMEOUT).isEmpty()
                && env.getConfiguration()
                        .getOptional(ExecutionOptions.BUFFER_TIMEOUT_ENABLED)
                        .isEmpty()) {
            env.setBufferTimeout(DEFAULT_BUFFER_TIMEOUT_MILLIS);
        }
    }

    /**
     * Builds the graph: decoded readings (with event-time watermarks) and model updates in, alerts,
     * scores and dead letters out. Every stateful operator has a uid, so savepoints survive upgrades.
     */
    public static void buildPipeline(
            DataStream<Envelope> readings, DataStream<ModelUpdate> updates, Sinks sinks, ScoringSettings settings) {
        SingleOutputStreamOperator<SensorEvent> events = decoded(readings);
        SingleOutputStreamOperator<KafkaMessage> alerts = events.keyBy(
                        e -> e.entityId, TypeInformation.of(String.class))
                .connect(updates.broadcast())
                .transform(
                        "score (LSTM + autoencoder)",
                        TypeInformation.of(KafkaMessage.class),
                        new ScoringOperator(settings))
                .uid("scoring");
        alerts.sinkTo(sinks.alerts()).name("alerts").uid("sink-alerts");
        if (sinks.scores() != null) {
            alerts.getSideOutput(ScoringOperator.SCORES)
                    .sinkTo(sinks.scores())
                    .name("scores")
                    .uid("sink-scores");
        }
        events.getSideOutput(UNDECODABLE)
                .union(alerts.getSideOutput(ScoringOperator.LATE))
                .sinkTo(sinks.deadLetters())
                .name("dead letters")
                .uid("sink-dead-letter");
    }

    /**
     * The readings topic through {@code decoder}, with the job's watermarks (operator uid
     * "source-readings"); the benchmark's pass-through job reads its input the same way.
     */
    public static DataStream<Envelope> readings(
            StreamExecutionEnvironment env, JobConfig config, ReadingDecoder decoder) {
        return env.fromSource(
                        KafkaIO.readings(config, decoder),
                        EventTimeWatermarks.strategy(
                                config.outOfOrderness(), config.idleTimeout(), config.alignmentMaxDrift()),
                        "readings")
                .uid("source-readings");
    }

    /**
     * The readings the source decoded and validated, with what it could not as the {@link #UNDECODABLE}
     * side output (operator uid "decode"); the benchmark's pass-through job splits its input the same way.
     */
    public static SingleOutputStreamOperator<SensorEvent> decoded(DataStream<Envelope> readings) {
        return readings.process(new SplitDeadLetters())
                .name("decode + validate")
                .uid("decode");
    }

    /** Sends dead letters from the source to a side output, counted by reason; readings go on. */
    static final class SplitDeadLetters extends ProcessFunction<Envelope, SensorEvent> {
        private static final long serialVersionUID = 1L;
        private transient VigilMetrics.DeadLetters deadLetters;

        @Override
        public void open(OpenContext context) {
            deadLetters =
                    VigilMetrics.DeadLetters.register(getRuntimeContext().getMetricGroup(), DeadLetter.DECODE_REASONS);
        }

        @Override
        public void processElement(Envelope e, Context ctx, Collector<SensorEvent> out) {
            if (e.isEvent()) {
                out.collect(e.event);
            } else {
                deadLetters.inc(e.deadLetter.reason);
                ctx.output(UNDECODABLE, e.deadLetter);
            }
        }
    }
}
