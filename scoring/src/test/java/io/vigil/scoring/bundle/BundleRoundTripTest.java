package io.vigil.scoring.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scoring.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRoundTripTest {

    @TempDir
    Path tmp;

    private MultiLayerNetwork lstm;
    private MultiLayerNetwork ae;
    private Path dir;
    private String sha;

    @BeforeEach
    void writeBundle() throws Exception {
        lstm = TestModels.randomLstm(3, 8, 1);
        ae = TestModels.randomAutoencoder(6 * 3, 2);
        dir = tmp.resolve("bundle");
        sha = BundleWriter.write(dir, new BundleWriter.Draft(TestModels.manifest("v1", 3, 6, 5), lstm, ae, Map.of()));
    }

    @Test
    void roundTripKeepsEveryFieldAndBothNetworks() {
        ScoringModel model = BundleReader.read(new LocalBundleFiles(dir), sha);

        assertThat(model.manifestSha256()).isEqualTo(sha);
        assertThat(model.modelId()).isEqualTo("test-model");
        assertThat(model.version()).isEqualTo("v1");
        assertThat(model.features().names()).containsExactly("ch0", "ch1", "ch2");
        assertThat(model.windowLength()).isEqualTo(6);
        assertThat(model.normaliser().mean()).containsExactly(0.0, 10.0, 20.0);
        assertThat(model.normaliser().std()).containsExactly(1.0, 2.0, 3.0);
        assertThat(model.alert()).isEqualTo(TestModels.ALERTS);
        assertThat(model.scoring().reference().prior()).hasSize(io.vigil.scoring.Reference.SIZE);
        assertThat(model.scoring().aeErrorSpan()).isEqualTo(2);
        assertThat(model.manifest().files()).containsOnlyKeys("lstm.zip", "autoencoder.zip");
        assertThat(model.manifest().files().get("lstm.zip")).hasSize(64);
        assertThat(model.lstm().params()).isEqualTo(lstm.params());
        assertThat(model.autoencoder().params()).isEqualTo(ae.params());
    }

    @Test
    void aCorruptNetworkFileIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("lstm.zip");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("lstm.zip has SHA-256")
                .hasMessageContaining("corrupt or was replaced");
    }

    @Test
    void aMissingFileIsRefusedNamingTheFile() throws Exception {
        Files.delete(dir.resolve("autoencoder.zip"));

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("cannot read autoencoder.zip");
    }

    @Test
    void aManifestThatDiffersFromTheAnnouncedChecksumIsRefused() throws Exception {
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"v1\"", "\"v2\""), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), sha))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("was announced");
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws Exception {
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : " + BundleManifest.FORMAT_VERSION, "\"formatVersion\" : 99"));

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("format version 99");
    }

    @Test
    void publishingIsAtomicImmutableAndMovesLatest() throws Exception {
        Path store = tmp.resolve("store");
        ScoringModel published = ModelStore.publish(dir, store);

        assertThat(store.resolve("test-model/v1/manifest.json")).exists();
        assertThat(Files.readString(store.resolve("test-model/LATEST")).trim()).isEqualTo("v1");
        assertThat(ModelStore.latestVersion(new LocalBundleFiles(store), "test-model")).isEqualTo("v1");
        assertThat(published.manifestSha256()).isEqualTo(sha);
        try (var left = Files.list(store.resolve("test-model"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("v1", "LATEST");
        }
        assertThatThrownBy(() -> ModelStore.publish(dir, store)).hasMessageContaining("already published");
    }

    @Test
    void aStoreWithoutTheModelSaysHowToPublishOne() {
        assertThatThrownBy(() -> ModelStore.latestVersion(new LocalBundleFiles(tmp), "sensors"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("no published version of model 'sensors'")
                .hasMessageContaining("vigil-trainer publish");
    }
}
