package io.vigil.harness.demo;

import io.vigil.harness.generate.LabeledReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readings the demo sent, per entity in time order, so an alert's line can say what the data did
 * before it: a channel that repeated one value for many readings (a stuck sensor) was expected to move.
 */
public final class RecentReadings {

    private final List<String> channels;
    private final Map<String, List<LabeledReading>> byEntity = new ConcurrentHashMap<>();

    public RecentReadings(List<String> channels) {
        this.channels = List.copyOf(channels);
    }

    /** Records a sent reading; each entity's readings arrive in time order. */
    public void add(LabeledReading r) {
        List<LabeledReading> list = byEntity.computeIfAbsent(r.entityId(), e -> new ArrayList<>());
        synchronized (list) {
            list.add(r);
        }
    }

    /**
     * How many readings of {@code entity} up to and including {@code time} carried exactly the value
     * the one at {@code time} had on {@code channel}: 1 when it changed, 0 when unknown.
     */
    public int unchangedRun(String entity, String channel, long time) {
        int j = channels.indexOf(channel);
        List<LabeledReading> list = byEntity.get(entity);
        if (j < 0 || list == null) {
            return 0;
        }
        synchronized (list) {
            int i = list.size() - 1;
            while (i >= 0 && list.get(i).eventTime().toEpochMilli() > time) {
                i--;
            }
            if (i < 0) {
                return 0;
            }
            double value = list.get(i).value(j);
            int run = 0;
            while (i >= 0 && list.get(i).value(j) == value) {
                run++;
                i--;
            }
            return run;
        }
    }
}
