package io.vigil.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scoring.engine.EngineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    private static final String[] REQUIRED = {
        "--kafka.bootstrap-servers", "127.0.0.1:9092", "--model.store", "/models", "--model.id", "sensors"
    };

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobConfig c = JobConfig.fromArgs(REQUIRED);

        assertThat(c.readingsTopic()).isEqualTo("vigil-readings");
        assertThat(c.alertsTopic()).isEqualTo("vigil-alerts");
        assertThat(c.deadLetterTopic()).isEqualTo("vigil-dead-letter");
        assertThat(c.emitScores()).isFalse();
        assertThat(c.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.modelVersion()).isEqualTo("latest");
        assertThat(c.engine()).isEqualTo(EngineKind.NATIVE);
        assertThat(c.maxBatch()).isEqualTo(256);
        assertThat(c.outOfOrderness()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.alignmentMaxDrift()).isZero(); // watermark alignment off
        assertThat(JobConfig.fromArgs(args("--watermark.alignment.max-drift", "2s"))
                        .alignmentMaxDrift())
                .isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--watermark.alignment.max-drift", "-1s")))
                .hasMessageContaining("Could not parse value '-1s' for key 'watermark.alignment.max-drift'");
        assertThatThrownBy(() -> JobConfig.fromArgs(
                        args("--watermark.alignment.max-drift", "2s", "--kafka.stop-at-end", "true")))
                .hasMessageContaining("--watermark.alignment.max-drift cannot be used with --kafka.stop-at-end=true")
                .hasMessageContaining("FLINK-39728");
        assertThat(c.thresholdOverride()).isNaN();
        assertThat(c.warmupOverride()).isEqualTo(-1);
        assertThat(c.resolveAfter()).as("the bundle's").isEqualTo(-1);
        assertThat(c.maxOpenEvents()).as("the bundle's").isEqualTo(-1);
    }

    @Test
    void aMissingRequiredOptionIsNamedWithWhatItIsFor() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--model.store", "/m", "--model.id", "s"}))
                .hasMessageStartingWith("Missing required option --kafka.bootstrap-servers: Kafka bootstrap servers");
    }

    @Test
    void aMisspelledOptionIsRefusedWithTheClosestKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--scoring.max-bach", "10")))
                .hasMessage("Unknown option '--scoring.max-bach'; did you mean --scoring.max-batch? Run with --help for"
                        + " the list of options.");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--watermark.idle-timout=3s")))
                .hasMessageStartingWith(
                        "Unknown option '--watermark.idle-timout'; did you mean --watermark.idle-timeout");
        // the same from a config file, and from the settings the harness builds
        Path yaml = dir.resolve("typo.yaml");
        Files.writeString(yaml, "kafka.bootstrap-servers: h:1\nmodel.store: /m\nmodel.id: s\nalert.resolve-afer: 3\n");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--config", yaml.toString()}))
                .hasMessageStartingWith("Unknown option '--alert.resolve-afer'; did you mean --alert.resolve-after");
        assertThatThrownBy(() -> JobConfig.fromMap(java.util.Map.of(
                        "kafka.bootstrap-servers", "h:1", "model.store", "/m", "model.id", "s", "topic.alert", "x")))
                .hasMessageContaining("did you mean --topic.alerts");
    }

    @Test
    void badValuesAreRefusedWithTheRange() {
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--scoring.threshold", "1.5")))
                .hasMessage("scoring.threshold must be a score in (0, 1), is 1.5");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--scoring.engine", "gpu")))
                .hasMessage("Unknown engine 'gpu': use native or dl4j");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--sink.transaction-timeout", "1h")))
                .hasMessageContaining("transaction.max.timeout.ms");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--watermark.out-of-orderness", "soon")))
                .hasMessageStartingWith("Option watermark.out-of-orderness:");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--alert.resolve-after")))
                .hasMessage("Option --alert.resolve-after needs a value");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("stray")))
                .hasMessage("Unexpected argument 'stray': options are --key value; run with --help for the list of"
                        + " options");
    }

    @Test
    void kafkaClientAndFlinkSettingsPassThrough() {
        JobConfig c = JobConfig.fromArgs(args(
                "--kafka.properties.security.protocol",
                "SSL",
                "--execution.checkpointing.interval",
                "5s",
                "--topic.scores=vigil-scores"));

        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(c.flinkSettings()).containsEntry("execution.checkpointing.interval", "5s");
        assertThat(c.emitScores()).isTrue();
    }

    @Test
    void kafkaCredentialsComeFromAClientPropertiesFileAndNeverFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path client = dir.resolve("client.properties");
        Files.writeString(
                client,
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"vigil\" password=\"pw\";\nlinger.ms=20\n");

        JobConfig c = JobConfig.fromArgs(
                args("--kafka.client-properties-file", client.toString(), "--kafka.properties.linger.ms", "7"));

        assertThat(c.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsEntry("linger.ms", "7"); // the option wins over the file
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--kafka.properties.sasl.jaas.config", "x")))
                .hasMessage("--kafka.properties.sasl.jaas.config carries a credential: put it in a Kafka client"
                        + " properties file (--kafka.client-properties-file or the --config file), never on the"
                        + " command line, where ps, shell histories and logs show it");
        assertThatThrownBy(() -> JobConfig.fromArgs(args("--kafka.properties.ssl.truststore.password", "x")))
                .hasMessageStartingWith("--kafka.properties.ssl.truststore.password carries a credential");
        assertThatThrownBy(() -> JobConfig.fromArgs(args(
                        "--kafka.client-properties-file", dir.resolve("none").toString())))
                .hasMessage("Kafka client properties file " + dir.resolve("none") + " does not exist");
    }

    @Test
    void aConfigFileIsReadAndArgumentsWin(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("vigil.yaml");
        Files.writeString(
                yaml,
                "kafka:\n  bootstrap-servers: 10.0.0.1:9092\nmodel.store: /m\nmodel.id: s\n"
                        + "scoring:\n  max-batch: 64\nalert.resolve-after: 3\n");
        JobConfig c = JobConfig.fromArgs(new String[] {"--config", yaml.toString(), "--alert.resolve-after", "5"});

        assertThat(c.bootstrapServers()).isEqualTo("10.0.0.1:9092");
        assertThat(c.maxBatch()).isEqualTo(64);
        assertThat(c.resolveAfter()).isEqualTo(5);

        Path props = dir.resolve("vigil.properties");
        Files.writeString(props, "kafka.bootstrap-servers=h:1\nmodel.store=/x\nmodel.id=y\n");
        assertThat(JobConfig.fromArgs(new String[] {"--config", props.toString()})
                        .modelStore())
                .isEqualTo("/x");

        assertThatThrownBy(() -> JobConfig.fromArgs(
                        new String[] {"--config", dir.resolve("nope.yaml").toString()}))
                .hasMessageStartingWith("Cannot read the config file");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = JobConfig.describeOptions();
        for (var option : VigilOptions.ALL) {
            assertThat(help).contains("--" + option.key() + "=<value>");
        }
        assertThat(help)
                .contains("--config=<file>", "--kafka.properties.<name>=<value>", "Default: 256.", "Default: 6h.");
        assertThat(JobConfig.helpRequested(new String[] {"--help"})).isTrue();
        assertThat(JobConfig.helpRequested(new String[0])).isTrue();
        assertThat(JobConfig.helpRequested(REQUIRED)).isFalse();
    }

    private static String[] args(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }
}
