package io.vigil.harness.pipeline;

import io.vigil.job.config.VigilOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The job settings the Kafka ITCases share: the broker, the model store and its announcements, reading
 * from the earliest offset, a 1 s idle timeout (the test's stream ends), checkpoints every 500 ms and a
 * restart strategy that survives one stopped TaskManager. Each test adds its pipeline's topics and model.
 */
public final class ItJobSettings {

    private ItJobSettings() {}

    public static Map<String, String> of(String bootstrapServers, Path store, String transactionalIdPrefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(VigilOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        settings.put(VigilOptions.MODEL_STORE.key(), store.toString());
        settings.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), "model-updates");
        settings.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        settings.put(VigilOptions.IDLE_TIMEOUT.key(), "1s");
        settings.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), transactionalIdPrefix);
        settings.put("execution.checkpointing.interval", "500ms");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "5");
        settings.put("restart-strategy.fixed-delay.delay", "500ms");
        return settings;
    }
}
