package io.vigil.harness.bench;

import java.util.List;

/**
 * The pre-filled input of a benchmark: what is in Kafka before any job starts, and the model to score it with.
 *
 * @param topic all readings, {@code keys x eventsPerKey}, or all transactions of {@code keys} accounts
 * @param eventsPerKey readings per key; 0 for transactions (each account makes as many as its habits give)
 * @param channels the readings' channels, or the transaction model's features
 * @param anomalyWindows anomalies the generator laid over the readings (all keys), or fraud incidents it injected
 * @param smallTopic the readings of the first {@code smallKeys} keys only, for variants too slow for the full topic
 * @param modelUpdatesTopic the (empty) announcement topic the real job subscribes to
 * @param fillSeconds how long writing the topics took
 * @param stream readings or transactions
 * @param events the records in {@code topic}
 */
public record Workload(
        String bootstrapServers,
        String topic,
        int partitions,
        int keys,
        int eventsPerKey,
        List<String> channels,
        int anomalyWindows,
        String smallTopic,
        int smallKeys,
        String modelUpdatesTopic,
        BenchmarkModel model,
        double fillSeconds,
        BenchmarkStream stream,
        long events) {

    public Workload {
        channels = List.copyOf(channels);
    }

    public long smallEvents() {
        return (long) smallKeys * eventsPerKey;
    }

    /** The topic {@code variant} reads. */
    public String inputTopic(JobVariant variant) {
        return variant.usesSmallInput() ? smallTopic : topic;
    }

    /** The readings {@code variant} reads. */
    public long inputEvents(JobVariant variant) {
        return variant.usesSmallInput() ? smallEvents() : events();
    }

    /**
     * The records {@code variant} must write to its scores topic: one per reading (or transaction) for a pass-through,
     * one per scored event ({@code events - (window - 1)} per key) for {@code vigil-scores}, none for the
     * variants that write alerts only (how many alerts follows from the data, and is checked against what
     * the job reports it emitted).
     */
    public long expectedScoreRecords(JobVariant variant) {
        if (!variant.writesScores()) {
            return 0;
        }
        int k = variant.usesSmallInput() ? smallKeys : keys;
        return variant.scores() ? ThroughputMath.scoredEvents(k, eventsPerKey, model.window()) : inputEvents(variant);
    }
}
