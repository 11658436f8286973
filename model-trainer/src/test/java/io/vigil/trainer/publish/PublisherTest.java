package io.vigil.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.ModelAnnouncement;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.bundle.Checksums;
import io.vigil.trainer.TrainedTestBundle;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {

    @TempDir
    Path store;

    @Test
    void publishesIntoTheStoreLayoutAndRefusesTheSameVersionTwice() throws Exception {
        Path bundle = TrainedTestBundle.bundle();
        Publisher publisher = new Publisher(PublishOptions.toStore(store).withoutAnnouncement());

        Publication p = publisher.publish(bundle);

        Path published = store.resolve("test-model").resolve("v1");
        assertThat(p.directory()).isEqualTo(published.toAbsolutePath().normalize());
        assertThat(published.resolve("manifest.json")).exists();
        assertThat(published.resolve("lstm.zip")).hasSameBinaryContentAs(bundle.resolve("lstm.zip"));
        assertThat(Files.readString(store.resolve("test-model").resolve("LATEST"))
                        .trim())
                .isEqualTo("v1");
        assertThat(p.manifestSha256()).isEqualTo(Checksums.sha256(Files.readAllBytes(bundle.resolve("manifest.json"))));
        assertThat(p.uri()).startsWith("file:///").endsWith("/test-model/v1/");
        assertThat(p.announced()).isFalse();
        try (var staging = Files.list(store.resolve("test-model"))) {
            assertThat(staging.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("v1", "LATEST");
        }

        assertThatThrownBy(() -> publisher.publish(bundle))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("version v1 of test-model is already published");
    }

    @Test
    void theAnnouncementCarriesTheBundleIdentityInSingleObjectEncoding() throws Exception {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        Publisher publisher =
                new Publisher(PublishOptions.toStore(store).withoutAnnouncement(), Clock.fixed(now, ZoneOffset.UTC));
        Publication p = publisher.publish(TrainedTestBundle.bundle());

        byte[] bytes = WireFormat.encode(publisher.announcement(p));
        ModelAnnouncement a = WireFormat.decoder(ModelAnnouncement.class).decode(bytes);

        assertThat(bytes[0]).isEqualTo(WireFormat.MARKER_0);
        assertThat(a.getModelId()).isEqualTo("test-model");
        assertThat(a.getVersion()).isEqualTo("v1");
        assertThat(a.getUri()).isEqualTo(p.uri());
        assertThat(a.getManifestSha256()).isEqualTo(p.manifestSha256());
        assertThat(a.getFormatVersion()).isEqualTo(io.vigil.scoring.bundle.BundleManifest.FORMAT_VERSION);
        assertThat(a.getPublishedAt()).isEqualTo(now);
    }

    @Test
    void anUnreachableBrokerLeavesTheBundlePublishedAndSaysHowToAnnounceIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        PublishOptions options = PublishOptions.toStore(store)
                .withKafka("127.0.0.1:" + closedPort)
                .withTimeout(Duration.ofSeconds(2));

        long started = System.nanoTime();
        assertThatThrownBy(() -> new Publisher(options).publish(TrainedTestBundle.bundle()))
                .isInstanceOfSatisfying(AnnounceException.class, e -> {
                    assertThat(e.published().directory())
                            .isEqualTo(store.resolve("test-model/v1").toAbsolutePath());
                    assertThat(e.published().announced()).isFalse();
                })
                .hasMessageContaining("IS in the model store at "
                        + store.resolve("test-model/v1").toAbsolutePath())
                .hasMessageContaining("at 127.0.0.1:" + closedPort + " failed: no answer within 2 s")
                .hasMessageContaining("vigil-trainer publish --announce-only --store " + store
                        + " --model-id test-model --version v1 --bootstrap-servers 127.0.0.1:" + closedPort
                        + " --topic vigil-model-updates");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(10.0);
        assertThat(store.resolve("test-model/v1/manifest.json")).exists();
        assertThat(Files.readString(store.resolve("test-model/LATEST")).trim()).isEqualTo("v1");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> PublishOptions.toStore(store).withTopic("model updates"))
                .hasMessageContaining("Invalid Kafka topic name 'model updates'");
        assertThatThrownBy(() -> PublishOptions.toStore(store).withTimeout(Duration.ZERO))
                .hasMessageContaining("The Kafka timeout must be positive");
        assertThat(PublishOptions.toStore(store)
                        .withoutAnnouncement()
                        .withTopic("x y")
                        .topic())
                .isEqualTo("x y");
    }

    @Test
    void announceOnlyNeedsAPublishedVersion() throws IOException {
        Publisher publisher = new Publisher(PublishOptions.toStore(store));
        assertThatThrownBy(() -> publisher.announceOnly("test-model", null))
                .hasMessageContaining("has no published version of model 'test-model'");
        assertThatThrownBy(() -> publisher.announceOnly("test-model", "v9"))
                .hasMessageContaining("no published bundle of test-model version v9");
    }
}
