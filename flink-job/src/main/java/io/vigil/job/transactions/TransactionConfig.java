package io.vigil.job.transactions;

import io.vigil.job.config.VigilOptions;
import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The transaction pipeline's own settings: its topics and model (the rest it shares with the sensor
 * pipeline through {@link io.vigil.job.config.JobConfig}).
 *
 * @param labelsTopic the confirmed-labels topic, or empty when there is none
 * @param scoresTopic the per-transaction scores topic, or empty when off
 */
public record TransactionConfig(
        String inputTopic,
        String alertsTopic,
        String scoresTopic,
        String deadLetterTopic,
        String labelsTopic,
        String modelId,
        String modelVersion)
        implements Serializable {

    /** Reads the {@code transactions.*} options; the model id is required. */
    public static TransactionConfig fromConfiguration(Configuration conf) {
        String model =
                conf.getOptional(VigilOptions.TX_MODEL_ID).map(String::trim).orElse("");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("Missing required option --" + VigilOptions.TX_MODEL_ID.key()
                    + ": with --" + VigilOptions.STREAMS.key() + " transactions the job needs the transaction model to"
                    + " score with");
        }
        return new TransactionConfig(
                nonBlank(conf, VigilOptions.TX_TOPIC_INPUT),
                nonBlank(conf, VigilOptions.TX_TOPIC_ALERTS),
                conf.get(VigilOptions.TX_TOPIC_SCORES).trim(),
                nonBlank(conf, VigilOptions.TX_TOPIC_DEAD_LETTER),
                conf.get(VigilOptions.TX_TOPIC_LABELS).trim(),
                model,
                nonBlank(conf, VigilOptions.TX_MODEL_VERSION));
    }

    private static String nonBlank(Configuration conf, ConfigOption<String> option) {
        String v = conf.get(option).trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("Option --" + option.key() + " must not be empty");
        }
        return v;
    }

    public boolean emitScores() {
        return !scoresTopic.isEmpty();
    }

    /** Whether confirmed labels are read (and merchant-risk models can be scored). */
    public boolean labels() {
        return !labelsTopic.isEmpty();
    }

    public TransactionConfig withModelVersion(String version) {
        return new TransactionConfig(
                inputTopic, alertsTopic, scoresTopic, deadLetterTopic, labelsTopic, modelId, version);
    }
}
