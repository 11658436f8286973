package io.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {

    @TempDir
    Path tmp;

    @Test
    void theTwoRequiredKeysAreEnoughAndEverythingElseHasItsDefault() throws IOException {
        BridgeConfig c = load("kafka.bootstrap-servers=127.0.0.1:9092\nalertmanager.url=http://127.0.0.1:9093/\n");
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.alertmanagerUrl()).hasToString("http://127.0.0.1:9093");
        assertThat(c.topic()).isEqualTo("vigil-alerts");
        assertThat(c.groupId()).isEqualTo("vigil-alert-bridge");
        assertThat(c.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.minFiring()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.alertName()).isEqualTo("VigilAnomaly");
        assertThat(c.runbookUrl()).isEqualTo("docs/runbook.md#vigilanomaly");
        assertThat(c.generatorUrl()).isEmpty();
        assertThat(c.metricsAddress().getHostString()).isEqualTo("127.0.0.1");
        assertThat(c.metricsAddress().getPort()).isEqualTo(9096);
        assertThat(BridgeConfig.describe())
                .contains("kafka.bootstrap-servers (required)", "alertmanager.min-firing (default 45s)");
    }

    @Test
    void prefixedKeysGoToTheConsumerAndToEveryAlertsLabels() throws IOException {
        BridgeConfig c = load("""
                kafka.bootstrap-servers=k:9093
                alertmanager.url=https://am.example:9093
                kafka.properties.security.protocol=SSL
                alert.labels.team=sre
                alert.labels.env=prod
                alertmanager.resend-interval=PT30S
                alertmanager.min-firing=250ms
                metrics.listen=
                """);
        assertThat(c.kafkaProperties()).containsExactlyEntriesOf(Map.of("security.protocol", "SSL"));
        assertThat(c.staticLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "sre", "env", "prod"));
        assertThat(c.resendInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.minFiring()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.metricsAddress()).as("empty turns the endpoint off").isNull();
    }

    @Test
    void kafkaCredentialsComeFromTheClientPropertiesFileAndInlineKeysWin() throws IOException {
        Path client = write("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nclient.rack=a\n");
        BridgeConfig c = load("kafka.bootstrap-servers=k:9092\nalertmanager.url=http://am:9093\n"
                + "kafka.client-properties-file=" + client + "\nkafka.properties.client.rack=b\n");

        assertThat(c.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.rack", "b");
        assertThatThrownBy(() -> load("kafka.bootstrap-servers=k:9092\nalertmanager.url=http://am:9093\n"
                        + "kafka.client-properties-file=/nowhere/client.properties\n"))
                .hasMessageContaining("kafka.client-properties-file: Kafka client properties file"
                        + " /nowhere/client.properties does not exist");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceWithTheFileNamed() throws IOException {
        Path file = write("""
                alertmanager.url=localhost:9093
                alertmanager.urll=http://x
                alertmanager.resend-interval=often
                alertmanager.retry.initial-backoff=1m
                alert.labels.bad-name=x
                """);
        assertThatThrownBy(() -> BridgeConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("kafka.bootstrap-servers is required")
                .hasMessageContaining("alertmanager.url: 'localhost:9093' is not an http(s) URL with a host")
                .hasMessageContaining("unknown key 'alertmanager.urll'")
                .hasMessageContaining("alertmanager.resend-interval: 'often' is not a duration")
                .hasMessageContaining(
                        "alertmanager.retry.max-backoff (PT30S) is shorter than alertmanager.retry.initial-backoff (PT1M)")
                .hasMessageContaining("alert.labels.bad-name: 'bad-name' is not a valid label name");
        assertThatThrownBy(() -> BridgeConfig.load(tmp.resolve("missing.properties")))
                .hasMessageContaining("missing.properties does not exist");
    }

    private BridgeConfig load(String text) throws IOException {
        return BridgeConfig.load(write(text));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(tmp, "bridge", ".properties");
        Files.writeString(file, text);
        return file;
    }
}
