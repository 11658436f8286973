package io.vigil.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaAccessTest {

    private static final Map<String, String> SECURED = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\""
                            + " password=\"s3cret-Pa55\";",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/run/ca.pem");

    @Test
    void describesTheConnectionWithoutItsSecrets() {
        String said = KafkaAccess.describe(SECURED);

        assertThat(said).isEqualTo("SASL_SSL, SCRAM-SHA-512 as user 'vigil', trusting /run/ca.pem");
        assertThat(said).doesNotContain("s3cret").doesNotContain("ScramLoginModule");
        assertThat(KafkaAccess.describe(Map.of())).isEqualTo("PLAINTEXT");
        assertThat(KafkaAccess.describe(Map.of("security.protocol", "SSL")))
                .isEqualTo("SSL, trusting the JVM's default CAs");
    }

    @Test
    void loadsAKafkaClientPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");

        Map<String, String> p = KafkaAccess.load(file);

        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void aMissingOrUnreadableFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> KafkaAccess.load(dir.resolve("nope.properties")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka client properties file " + dir.resolve("nope.properties") + " does not exist");
        assertThatThrownBy(() -> KafkaAccess.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kafka client properties file " + dir + " is not a readable file");
    }

    @Test
    void aRefusedLoginNamesTheUserAndNotThePassword() {
        Throwable failure = new KafkaException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism"
                        + " SCRAM-SHA-512"));

        String said = KafkaAccess.explain(failure, "127.0.0.1:9092", SECURED);

        assertThat(said)
                .startsWith("Kafka at 127.0.0.1:9092 refused the SCRAM-SHA-512 login of user 'vigil': wrong password"
                        + " or unknown user.")
                .doesNotContain("s3cret");
    }

    @Test
    void anUntrustedCertificateNamesTheTruststore() {
        Throwable failure = new SslAuthenticationException(
                "SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"));

        assertThat(KafkaAccess.explain(failure, "127.0.0.1:9092", SECURED))
                .isEqualTo("TLS handshake with Kafka at 127.0.0.1:9092 failed: the broker's certificate is not"
                        + " trusted by /run/ca.pem. Set ssl.truststore.location to the CA that signed the broker's"
                        + " certificate");
    }

    @Test
    void credentialsAreToldFromOtherProperties() {
        assertThat(List.of(
                        "sasl.jaas.config",
                        "ssl.truststore.password",
                        "ssl.key.password",
                        "ssl.keystore.key",
                        "sasl.oauthbearer.client.credentials.client.secret"))
                .allMatch(KafkaAccess::isSecret);
        assertThat(List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location", "linger.ms"))
                .noneMatch(KafkaAccess::isSecret);
    }

    @Test
    void otherFailuresAreNotCalledAccessProblems() {
        assertThat(KafkaAccess.explain(new KafkaException("timed out"), "h:1", SECURED))
                .isNull();
    }
}
