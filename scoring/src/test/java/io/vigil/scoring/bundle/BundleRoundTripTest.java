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
        // integrity.json rewritten to match, as someone who knows the format could: the announcement still tells
        Files.write(
                dir.resolve(Integrity.FILE),
                BundleReader.JSON.writeValueAsBytes(Integrity.of(Files.readAllBytes(manifest), null)));

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), sha, null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("was announced");
    }

    @Test
    void aThresholdEditedInTheManifestIsRefusedNamingTheFileAndTheField() throws Exception {
        Path manifest = dir.resolve("manifest.json");
        String edited = Files.readString(manifest).replaceFirst("\"threshold\" : [0-9.]+", "\"threshold\" : 9.0");
        assertThat(edited).isNotEqualTo(Files.readString(manifest));
        Files.writeString(manifest, edited, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null, null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("manifest.json was changed after the bundle was written")
                .hasMessageContaining("field alert.threshold changed")
                .hasMessageContaining(dir.toAbsolutePath().toString());
    }

    @Test
    void everyValueOfTheManifestIsCoveredByTheIntegrityRecord() throws Exception {
        Integrity record =
                BundleReader.JSON.readValue(dir.resolve(Integrity.FILE).toFile(), Integrity.class);

        assertThat(record.manifestSha256()).isEqualTo(sha);
        assertThat(record.manifestFields())
                .containsKeys(
                        "alert.threshold",
                        "alert.resolveAfter",
                        "scoring.smoothing",
                        "scoring.reference.prior",
                        "normaliser.mean",
                        "features",
                        "files.lstm.zip",
                        "files.autoencoder.zip",
                        "windowLength",
                        "modelId",
                        "version");
        assertThat(record.hmacSha256()).isNull();
    }

    @Test
    void aBundleWithoutItsIntegrityRecordIsRefused() throws Exception {
        Files.delete(dir.resolve(Integrity.FILE));

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null, null))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("integrity.json is missing");
    }

    @Test
    void aSignedBundleReadsWithItsKeyAndIsRefusedUnderAnother() throws Exception {
        SigningKey key = SigningKey.of("k".repeat(32).getBytes(StandardCharsets.UTF_8));
        SigningKey other = SigningKey.of("o".repeat(32).getBytes(StandardCharsets.UTF_8));
        Path signed = tmp.resolve("signed");
        String signedSha = BundleWriter.write(
                signed, new BundleWriter.Draft(TestModels.manifest("v1", 3, 6, 5), lstm, ae, Map.of()), key);

        assertThat(BundleReader.read(new LocalBundleFiles(signed), signedSha, key)
                        .version())
                .isEqualTo("v1");
        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(signed), null, other))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("signature in integrity.json does not match manifest.json under " + other)
                .hasMessageContaining("the bundle names key " + key.id());
        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(dir), null, key))
                .as("an unsigned bundle where a key is configured")
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("it is not signed");
    }

    @Test
    void aSignedManifestEditedWithItsRecordRewrittenIsRefusedNamingTheField() throws Exception {
        SigningKey key = SigningKey.of("k".repeat(32).getBytes(StandardCharsets.UTF_8));
        Path signed = tmp.resolve("signed");
        BundleWriter.write(signed, new BundleWriter.Draft(TestModels.manifest("v1", 3, 6, 5), lstm, ae, Map.of()), key);
        Path manifest = signed.resolve("manifest.json");
        Integrity original =
                BundleReader.JSON.readValue(signed.resolve(Integrity.FILE).toFile(), Integrity.class);
        Files.writeString(
                manifest,
                Files.readString(manifest).replaceFirst("\"resolveAfter\" : [0-9]+", "\"resolveAfter\" : 1"),
                StandardCharsets.UTF_8);
        byte[] edited = Files.readAllBytes(manifest);
        // the checksum recomputed, the field digests and the signature left as they were
        Files.write(
                signed.resolve(Integrity.FILE),
                BundleReader.JSON.writeValueAsBytes(new Integrity(
                        Integrity.FORMAT,
                        Checksums.sha256(edited),
                        original.manifestFields(),
                        original.keyId(),
                        original.hmacSha256())));

        assertThatThrownBy(() -> BundleReader.read(new LocalBundleFiles(signed), null, key))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("does not match manifest.json")
                .hasMessageContaining("field alert.resolveAfter changed");
    }

    @Test
    void aKeyIsReadFromTheEnvironmentAndNeverShown() throws Exception {
        Path file = tmp.resolve("key");
        Files.writeString(file, "s".repeat(40) + "\n");

        SigningKey fromFile = SigningKey.fromEnvironment(Map.of(SigningKey.FILE_VARIABLE, file.toString()));
        SigningKey fromValue = SigningKey.fromEnvironment(Map.of(SigningKey.KEY_VARIABLE, "s".repeat(40)));

        assertThat(fromFile.id()).isEqualTo(fromValue.id()).hasSize(16);
        assertThat(fromFile.toString()).doesNotContain("ssss");
        assertThat(SigningKey.fromEnvironment(Map.of())).isNull();
        assertThatThrownBy(() -> SigningKey.fromEnvironment(Map.of(SigningKey.KEY_VARIABLE, "short")))
                .hasMessageContaining("at least 32");
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws Exception {
        Path manifest = dir.resolve("manifest.json");
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("\"formatVersion\" : " + BundleManifest.FORMAT_VERSION, "\"formatVersion\" : 99"));

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
        assertThat(ModelStore.latestVersion(new LocalBundleFiles(store), "test-model"))
                .isEqualTo("v1");
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
