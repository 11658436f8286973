package io.vigil.trainer.publish;

import io.vigil.kafka.KafkaAccess;
import io.vigil.schemas.ModelAnnouncement;
import io.vigil.scoring.bundle.BundleException;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import io.vigil.scoring.bundle.ModelStore;
import io.vigil.scoring.bundle.ScoringModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes a bundle to the model store (verified, copied, renamed into place atomically, LATEST
 * updated: {@link ModelStore#publish}) and announces it on the compacted model-updates topic, so
 * running jobs verify and hot-swap it.
 *
 * <pre>{@code
 * Publication p = new Publisher(PublishOptions.toStore(store).withKafka("localhost:9092")).publish(bundleDir);
 * }</pre>
 */
public final class Publisher {

    private final PublishOptions options;
    private final Clock clock;

    public Publisher(PublishOptions options) {
        this(options, Clock.systemUTC());
    }

    public Publisher(PublishOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /**
     * Publishes {@code bundleDir} and, unless announcing is off, announces it.
     *
     * @throws java.nio.file.FileAlreadyExistsException if this model version is already in the store
     * @throws BundleException if the bundle fails verification (nothing is published)
     * @throws AnnounceException if the bundle was published but could not be announced
     */
    public Publication publish(Path bundleDir) throws IOException, AnnounceException {
        ScoringModel published = ModelStore.publish(bundleDir, options.store());
        Path dir = options.store().resolve(ModelStore.bundlePath(published.modelId(), published.version()));
        Publication p = unannounced(published, dir);
        return options.announce() ? announce(p) : p;
    }

    /**
     * Announces a bundle that is already in the store (after a failed announcement, or to re-send one).
     *
     * @param version the version to announce, or {@code null} for the one LATEST names
     * @throws IllegalStateException if these options have announcing turned off
     */
    public Publication announceOnly(String modelId, String version) throws IOException, AnnounceException {
        if (!options.announce()) {
            throw new IllegalStateException("announceOnly needs options with announcing on (Kafka servers and topic)");
        }
        String v = version != null ? version : ModelStore.latestVersion(new LocalBundleFiles(options.store()), modelId);
        Path dir = options.store().resolve(ModelStore.bundlePath(modelId, v));
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(
                    dir.toString(),
                    null,
                    "no published bundle of " + modelId + " version " + v + " in the store; publish it first");
        }
        ScoringModel model = BundleReader.read(new LocalBundleFiles(dir), null);
        if (!model.modelId().equals(modelId) || !model.version().equals(v)) {
            throw new BundleException("Bundle at " + dir + " says it is " + model.modelId() + "/" + model.version()
                    + ", not " + modelId + "/" + v + "; the store was changed by hand");
        }
        return announce(unannounced(model, dir));
    }

    /** The announcement a published bundle gets. */
    public ModelAnnouncement announcement(Publication p) {
        return ModelAnnouncement.newBuilder()
                .setModelId(p.modelId())
                .setVersion(p.version())
                .setUri(p.uri())
                .setManifestSha256(p.manifestSha256())
                .setFormatVersion(p.formatVersion())
                .setPublishedAt(clock.instant())
                .build();
    }

    private Publication announce(Publication p) throws AnnounceException {
        List<String> warnings = new ArrayList<>(p.warnings());
        try {
            RecordMetadata md = new KafkaAnnouncer(options).announce(announcement(p), warnings);
            return new Publication(
                    p.modelId(),
                    p.version(),
                    p.directory(),
                    p.uri(),
                    p.manifestSha256(),
                    p.formatVersion(),
                    true,
                    options.topic(),
                    md.partition(),
                    md.offset(),
                    warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnnounceException(failure(p, "interrupted"), p, e);
        } catch (ExecutionException e) {
            throw new AnnounceException(failure(p, reason(e.getCause())), p, e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw new AnnounceException(failure(p, reason(e)), p, e);
        }
    }

    private String reason(Throwable e) {
        String refused = KafkaAccess.explain(e, options.bootstrapServers(), options.kafkaProperties());
        if (refused != null) {
            return refused;
        }
        // the JDK's TimeoutException (our deadline) or the Kafka client's own (its timeouts)
        boolean timeout = e instanceof TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException;
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (!timeout) {
            return message.isEmpty() ? e.getClass().getSimpleName() : message;
        }
        long ms = options.timeout().toMillis();
        String within = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        return "no answer within " + within + (message.isEmpty() ? "" : " (" + message + ")");
    }

    private String failure(Publication p, String reason) {
        return "Bundle " + p.modelId() + "/" + p.version() + " IS in the model store at " + p.directory()
                + ", but announcing it on Kafka topic '" + options.topic() + "' at " + options.bootstrapServers()
                + " failed: " + reason + ". Running jobs do not load it until it is announced. Once Kafka is reachable,"
                + " announce it with:\n  vigil-trainer publish --announce-only --store " + options.store()
                + " --model-id " + p.modelId() + " --version " + p.version() + " --bootstrap-servers "
                + options.bootstrapServers() + " --topic " + options.topic()
                + (options.kafkaProperties().isEmpty() ? "" : " --kafka-properties-file <the same file>");
    }

    private static Publication unannounced(ScoringModel model, Path dir) {
        return new Publication(
                model.modelId(),
                model.version(),
                dir.toAbsolutePath().normalize(),
                dir.toAbsolutePath().normalize().toUri().toString(),
                model.manifestSha256(),
                model.manifest().formatVersion(),
                false,
                null,
                -1,
                -1,
                List.of());
    }
}
