package io.vigil.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * How every Vigil program (the job, the trainer's publisher, the harness, the Alertmanager bridge) reaches
 * a Kafka cluster that wants credentials: a Kafka client properties file, the one Kafka's own tools take
 * with {@code --command-config} ({@code security.protocol}, {@code sasl.mechanism}, {@code
 * sasl.jaas.config}, {@code ssl.truststore.*}). Credentials come only from that file, never from a command
 * line, and what a program says about its connection ({@link #describe}) never includes a secret.
 *
 * <p>{@link #check} makes one real request at start, so a wrong password or an untrusted certificate fails
 * there with a message that names the cause, instead of as retries deep inside a running client.
 */
public final class KafkaAccess {

    /** The option every Vigil command that talks to Kafka takes for the file. */
    public static final String FILE_OPTION_DESCRIPTION =
            "A Kafka client properties file (as Kafka's tools take with --command-config): security.protocol,"
                    + " sasl.mechanism, sasl.jaas.config, ssl.truststore.*. Credentials belong here, never on a command line.";

    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaAccess() {}

    /**
     * Whether a Kafka client property carries a credential ({@code sasl.jaas.config}, a password, a private
     * key, a client secret): such a property belongs in the file, never on a command line, where {@code ps},
     * shell histories and Flink's logs show it.
     */
    public static boolean isSecret(String property) {
        String k = property.toLowerCase(java.util.Locale.ROOT);
        return k.equals(SaslConfigs.SASL_JAAS_CONFIG)
                || k.contains("password")
                || k.contains("secret")
                || k.equals(SslConfigs.SSL_KEYSTORE_KEY_CONFIG);
    }

    /** The message for a credential given on a command line as {@code option}. */
    public static String secretOnCommandLine(String option, String fileOption) {
        return option + " carries a credential: put it in a Kafka client properties file (" + fileOption
                + "), never on the command line, where ps, shell histories and logs show it";
    }

    /**
     * The properties in a Kafka client properties file, by name, as the string map every client
     * here merges its own settings over.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Map<String, String> load(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("Kafka client properties file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("Kafka client properties file " + file + " is not a readable file");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Kafka client properties file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /**
     * How a client with these properties connects, for logs and start-up lines: the protocol, the SASL
     * mechanism and user, the truststore. Never a password or a JAAS configuration.
     */
    public static String describe(Map<?, ?> properties) {
        String protocol = value(properties, CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        StringBuilder s = new StringBuilder(protocol);
        if (protocol.startsWith("SASL")) {
            s.append(", ").append(value(properties, SaslConfigs.SASL_MECHANISM, "GSSAPI"));
            String user = username(properties);
            if (user != null) {
                s.append(" as user '").append(user).append('\'');
            }
        }
        if (protocol.endsWith("SSL")) {
            String truststore = value(properties, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, null);
            s.append(truststore == null ? ", trusting the JVM's default CAs" : ", trusting " + truststore);
        }
        return s.toString();
    }

    /**
     * One request to the cluster ({@code describeCluster}). Returns null when it answers, or a warning when it
     * does not answer within {@code timeout} (a broker that is down may come back: callers go on).
     *
     * @throws KafkaAccessException when the cluster answers but refuses the credentials or the TLS handshake
     */
    public static String check(String bootstrapServers, Map<?, ?> properties, Duration timeout) {
        Properties p = new Properties();
        p.putAll(properties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            String problem = explain(e.getCause(), bootstrapServers, properties);
            if (problem != null) {
                throw new KafkaAccessException(problem, e.getCause());
            }
            return "Kafka at " + bootstrapServers + " (" + describe(properties) + ") did not answer: "
                    + e.getCause().getMessage();
        } catch (TimeoutException e) {
            return "Kafka at " + bootstrapServers + " (" + describe(properties) + ") did not answer within "
                    + timeout.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while reaching Kafka at " + bootstrapServers;
        }
    }

    /**
     * What a person should know about {@code failure} (or any of its causes) when it is the cluster refusing
     * this client: the credentials, or the certificate it presented. Null for any other failure.
     */
    public static String explain(Throwable failure, String bootstrapServers, Map<?, ?> properties) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                String user = username(properties);
                return "Kafka at " + bootstrapServers + " refused the "
                        + value(properties, SaslConfigs.SASL_MECHANISM, "SASL")
                        + " login" + (user == null ? "" : " of user '" + user + "'")
                        + ": wrong password or unknown user. Check sasl.jaas.config in the Kafka client properties"
                        + " file (" + t.getMessage() + ")";
            }
            if (t instanceof SslAuthenticationException) {
                return "TLS handshake with Kafka at " + bootstrapServers + " failed: " + sslCause(t, properties);
            }
        }
        return null;
    }

    private static String sslCause(Throwable ssl, Map<?, ?> properties) {
        for (Throwable t = ssl; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SSLHandshakeException && (m.contains("PKIX") || m.contains("certification path"))) {
                String truststore = value(properties, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, null);
                return "the broker's certificate is not trusted by "
                        + (truststore == null ? "the JVM's default CAs (no ssl.truststore.location set)" : truststore)
                        + ". Set ssl.truststore.location to the CA that signed the broker's certificate";
            }
            if (m.contains("No subject alternative")) {
                return "the broker's certificate does not name the host connected to (" + m + ")";
            }
        }
        return ssl.getMessage();
    }

    /** The SASL user named in {@code sasl.jaas.config}, or null. */
    static String username(Map<?, ?> properties) {
        String jaas = value(properties, SaslConfigs.SASL_JAAS_CONFIG, null);
        if (jaas == null) {
            return null;
        }
        Matcher m = USERNAME.matcher(jaas);
        return m.find() ? m.group(1) : null;
    }

    private static String value(Map<?, ?> properties, String key, String otherwise) {
        Object v = properties.get(key);
        return v == null ? otherwise : v.toString().trim();
    }

    /** The cluster refused this client: its credentials or the certificate it was shown. */
    public static final class KafkaAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
