package io.vigil.trainer.publish;

import java.nio.file.Path;
import java.util.List;

/**
 * A bundle in the model store and, if announced, where its announcement went.
 *
 * @param directory the published bundle directory {@code <store>/<modelId>/<version>}
 * @param uri {@code directory} as the {@code file://} URI the announcement carries
 * @param announced whether the announcement was acknowledged by Kafka (acks=all)
 * @param partition the announcement's partition, or -1 when not announced
 * @param offset the announcement's offset, or -1 when not announced
 * @param warnings things the operator should know, e.g. an existing topic that is not compacted
 */
public record Publication(
        String modelId,
        String version,
        Path directory,
        String uri,
        String manifestSha256,
        int formatVersion,
        boolean announced,
        String topic,
        int partition,
        long offset,
        List<String> warnings) {

    public Publication {
        warnings = List.copyOf(warnings);
    }
}
