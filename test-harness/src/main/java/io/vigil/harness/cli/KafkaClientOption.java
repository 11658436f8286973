package io.vigil.harness.cli;

import io.vigil.kafka.KafkaAccess;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The Kafka client properties file of a harness command that talks to Kafka (a {@code @Mixin}): how it
 * reaches a cluster that wants TLS and credentials, which never go on its command line.
 */
public final class KafkaClientOption {

    @Option(names = "--kafka-properties-file", paramLabel = "<file>", description = KafkaAccess.FILE_OPTION_DESCRIPTION)
    Path file;

    /** The file's properties (none without the option); a file that cannot be read is a usage error. */
    Map<String, String> properties(CommandSpec spec) {
        if (file == null) {
            return Map.of();
        }
        try {
            return KafkaAccess.load(file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
