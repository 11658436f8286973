package io.vigil.harness.write;

import io.vigil.harness.generate.LabeledReading;

/**
 * Where generated readings go, one at a time, so a single pass over a stream can feed Kafka and
 * several files at once.
 */
public interface ReadingSink extends AutoCloseable {

    void accept(LabeledReading reading);

    /** Flushes and releases what the sink holds; I/O failures surface here or in {@link #accept}. */
    @Override
    void close();
}
