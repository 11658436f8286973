package io.vigil.job.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.config.InProcessCluster;
import io.vigil.job.io.EventTimeWatermarks;
import io.vigil.job.transactions.ParityStream.Arrival;
import io.vigil.scoring.transactions.TransactionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trainer's features and the job's are the same on the real Flink runtime: the stream of
 * {@link ParityStream} (transactions and confirmed frauds arriving out of order within the watermark's
 * wait) through the job's own feature steps ({@link TransactionPipeline#features}) at parallelism 2 with
 * checkpoints, failed once after a checkpoint and restored from it, gives for every transaction exactly
 * the feature vector the offline featurizer computes, once; none is late.
 */
class TransactionFeatureParityITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(cluster())
            .build());

    /** Set by the failing step: it failed once, after this many checkpoints had completed. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    static final AtomicLong CHECKPOINTS_BEFORE_FAILURE = new AtomicLong(-1);

    @Test
    void theJobsFeatureStepsComputeTheTrainersFeaturesThroughAFailureAndRestore() throws Exception {
        ParityStream stream = new ParityStream(23);
        assertThat(stream.outOfOrder())
                .as("arrivals behind an earlier one's event time")
                .isGreaterThan(500);
        List<TransactionEnvelope> input = new ArrayList<>();
        long offset = 0;
        for (Arrival a : stream.arrivals) {
            input.add(
                    a.tx() != null
                            ? TransactionEnvelope.of(new InboundTransaction(a.tx(), a.arrival(), 0, offset++))
                            : TransactionEnvelope.of(a.confirmation()));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DataStream<TransactionEnvelope> source = env.fromData(input, TransactionSerializers.ENVELOPE)
                .setParallelism(1)
                .map(new OneAMillisecond())
                .returns(TransactionSerializers.ENVELOPE)
                .setParallelism(1)
                .assignTimestampsAndWatermarks(EventTimeWatermarks.strategy(
                        Duration.ofMillis(ParityStream.LATENESS), Duration.ofHours(1), TransactionPipeline::eventTime))
                .setParallelism(1);
        SingleOutputStreamOperator<InboundTransaction> split =
                source.process(new TransactionPipeline.Split()).returns(TransactionSerializers.INBOUND);
        TransactionPipeline.Features f =
                TransactionPipeline.features(split, split.getSideOutput(TransactionPipeline.Split.CONFIRMED));
        TypeInformation<Tuple2<String, double[]>> rowType =
                Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.DOUBLE));
        DataStream<Tuple2<String, double[]>> features = f.featured()
                .map(e -> Tuple2.of(((FeaturedTransaction) e).tx.transactionId(), e.values))
                .returns(rowType)
                .map(new FailOnceAfterACheckpoint())
                .returns(rowType);
        DataStream<Tuple2<String, double[]>> late =
                f.late().map(d -> Tuple2.of("late: " + d.detail, new double[0])).returns(rowType);

        Map<String, double[]> online = new HashMap<>();
        List<String> lateOnes = new ArrayList<>();
        try (CloseableIterator<Tuple2<String, double[]>> out =
                features.union(late).executeAndCollect("parity")) {
            while (out.hasNext()) {
                Tuple2<String, double[]> row = out.next();
                if (row.f0.startsWith("late: ")) {
                    lateOnes.add(row.f0);
                } else {
                    assertThat(online.put(row.f0, row.f1))
                            .as("features of %s emitted once", row.f0)
                            .isNull();
                }
            }
        }

        assertThat(FAILED).as("the job failed once").isTrue();
        assertThat(CHECKPOINTS_BEFORE_FAILURE.get())
                .as("checkpoints completed before the failure")
                .isPositive();
        assertThat(lateOnes).as("nothing was late").isEmpty();
        assertThat(online).hasSize(stream.transactions.size());
        for (TransactionEvent tx : stream.transactions) {
            assertThat(online.get(tx.transactionId()))
                    .as(tx.transactionId())
                    .containsExactly(stream.offline.get(tx.transactionId()));
        }
    }

    /**
     * Passes the input on at about one record a millisecond, so the stream lasts seconds and checkpoint
     * barriers fall between its records (a source that emitted everything at once would put the first
     * barrier behind the last record, and no checkpoint would complete before the end).
     */
    static final class OneAMillisecond extends RichMapFunction<TransactionEnvelope, TransactionEnvelope> {
        private static final long serialVersionUID = 1L;

        @Override
        public TransactionEnvelope map(TransactionEnvelope e) throws Exception {
            Thread.sleep(1);
            return e;
        }
    }

    /**
     * Passes the rows on; once a checkpoint has completed and a subtask has passed 800 rows, fails the job
     * (once), so it restarts from that checkpoint, mid-stream.
     */
    static final class FailOnceAfterACheckpoint
            extends RichMapFunction<Tuple2<String, double[]>, Tuple2<String, double[]>> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private transient long rows;
        private transient long checkpoints;

        @Override
        public Tuple2<String, double[]> map(Tuple2<String, double[]> row) throws Exception {
            rows++;
            if (!FAILED.get() && rows > 800) {
                if (checkpoints > 0 && FAILED.compareAndSet(false, true)) {
                    CHECKPOINTS_BEFORE_FAILURE.set(checkpoints);
                    throw new IllegalStateException("failing once, after checkpoint " + checkpoints);
                }
            }
            return row;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpoints++;
        }
    }

    private static Configuration cluster() {
        Configuration c = InProcessCluster.loopback();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }
}
