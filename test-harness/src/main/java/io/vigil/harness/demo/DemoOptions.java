package io.vigil.harness.demo;

import java.nio.file.Path;

/**
 * How big the embedded demo is. The defaults finish in a few minutes on two cores and inject every
 * anomaly kind the generator knows.
 *
 * @param workDir where the broker's log, the model store and the report go
 * @param entities sensors streaming at once
 * @param historyEvents normal readings per sensor to train on
 * @param liveEvents readings per sensor streamed through the job
 * @param anomaliesPerEntity anomalies injected into each sensor's live stream
 * @param rate readings per second the producer sends (all sensors together)
 * @param garbageFraction share of extra records that are garbage (undecodable bytes, NaN, a missing channel)
 * @param parallelism Flink parallelism
 * @param maxEpochs training epochs at most (early stopping usually ends sooner)
 * @param seed seed of the live stream (the sensors' normal behaviour is fixed)
 */
public record DemoOptions(
        Path workDir,
        int entities,
        int historyEvents,
        int liveEvents,
        int anomaliesPerEntity,
        double rate,
        double garbageFraction,
        int parallelism,
        int maxEpochs,
        long seed) {

    public DemoOptions {
        positive("entities", entities);
        positive("history events", historyEvents);
        positive("parallelism", parallelism);
        positive("max epochs", maxEpochs);
        if (liveEvents < 200) {
            throw new IllegalArgumentException("live events must be at least 200 per sensor (room for the window,"
                    + " warm-up and anomalies), is " + liveEvents);
        }
        if (anomaliesPerEntity < 0) {
            throw new IllegalArgumentException("anomalies per sensor must not be negative, is " + anomaliesPerEntity);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, is " + rate);
        }
        if (!(garbageFraction >= 0 && garbageFraction < 0.5)) {
            throw new IllegalArgumentException("garbage fraction must be in [0, 0.5), is " + garbageFraction);
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, is " + v);
        }
    }

    public long liveReadings() {
        return (long) entities * liveEvents;
    }
}
