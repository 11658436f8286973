package io.vigil.harness.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real Kafka server (KRaft, one node acting as broker and controller) running in this JVM, with
 * both listeners bound to 127.0.0.1 only.
 *
 * <p>Built from {@link KafkaRaftServer} rather than {@code KafkaClusterTestKit}, which binds to all
 * interfaces. Internal topics (offsets, transaction state, share-coordinator state) use replication
 * factor and min ISR 1, so transactions and consumer groups work on one node.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopic("readings", 2, Map.of());
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Listener host: loopback only, so a test broker is never reachable from the network. */
    public static final String HOST = "127.0.0.1";

    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private final Admin admin;
    private boolean closed;

    private EmbeddedKafka(Path dataDir, boolean deleteOnClose, int port, int controllerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.server = server;
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        this.admin = Admin.create(adminProps);
    }

    /** Starts a broker on free ports with its data in a temporary directory deleted on close. */
    public static EmbeddedKafka start() {
        return start(Options.temporary());
    }

    /** Starts a broker on free ports with its data in {@code dir}, which is kept on close. */
    public static EmbeddedKafka start(Path dir) {
        return start(Options.in(dir));
    }

    /** Starts a broker whose client listener is {@code port} (0 picks a free one), data kept in {@code dir}. */
    public static EmbeddedKafka start(Path dir, int port) {
        return start(Options.in(dir).withPort(port));
    }

    /** Starts a broker as the options say. */
    public static EmbeddedKafka start(Options options) {
        Path dir = options.dir();
        boolean temporary = dir == null;
        try {
            dir = temporary ? Files.createTempDirectory("vigil-kafka-") : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Kafka data directory " + dir, e);
        }
        RuntimeException last = null;
        // A free port found by probing can be taken by another process before the broker binds it;
        // retrying with fresh ports makes that race harmless. A fixed port is tried once.
        int attempts = options.port() == 0 && options.controllerPort() == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int port = options.port() == 0 ? freePort() : options.port();
            int controllerPort = options.controllerPort() == 0 ? freePort(port) : options.controllerPort();
            try {
                Properties props = serverProperties(dir, port, controllerPort, options.brokerConfig());
                formatIfNeeded(dir, props);
                KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
                try {
                    server.startup();
                } catch (RuntimeException e) {
                    server.shutdown();
                    server.awaitShutdown();
                    throw e;
                }
                return new EmbeddedKafka(dir, temporary, port, controllerPort, server);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        if (temporary) {
            deleteRecursively(dir);
        }
        throw new IllegalStateException("Kafka did not start in " + dir + " after " + attempts + " attempt(s)", last);
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client (PLAINTEXT) listener port. */
    public int port() {
        return port;
    }

    /** The KRaft controller listener port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Where the broker keeps its logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** An admin client for this broker; owned by this object and closed with it. */
    public Admin admin() {
        return admin;
    }

    /**
     * Creates a topic (replication factor 1) and returns once every partition has a leader, so a
     * producer or consumer started next finds it. An existing topic with that name is left as it is.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "topic name is required");
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "a topic needs at least 1 partition, got " + partitions + " for " + name);
        }
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs == null ? Map.of() : configs);
        try {
            admin.createTopics(List.of(topic)).all().get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + name + " was not created within " + TOPIC_READY_TIMEOUT, e);
        }
        awaitLeaders(name);
    }

    private void awaitLeaders(String name) {
        try {
            Awaitility.await()
                    .atMost(TOPIC_READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptionsInstanceOf(ExecutionException.class) // metadata not caught up with the controller
                    .until(() -> {
                        TopicDescription d = admin.describeTopics(Set.of(name))
                                .allTopicNames()
                                .get()
                                .get(name);
                        return d != null
                                && d.partitions().stream()
                                        .map(TopicPartitionInfo::leader)
                                        .allMatch(l -> l != null && !l.isEmpty());
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "Topic " + name + " has partitions without a leader after " + TOPIC_READY_TIMEOUT);
        }
    }

    /** Stops the broker and, if its directory was temporary, deletes it; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            server.shutdown();
            server.awaitShutdown();
            if (deleteOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** Where and how to start the broker; 0 for a port means pick a free one. */
    public record Options(Path dir, int port, int controllerPort, Map<String, String> brokerConfig) {

        public Options {
            checkPort(port, "port");
            checkPort(controllerPort, "controller port");
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controller port must differ, both are " + port);
            }
            brokerConfig = Map.copyOf(brokerConfig);
        }

        /** Free ports, a temporary directory deleted on close. */
        public static Options temporary() {
            return new Options(null, 0, 0, Map.of());
        }

        /** Free ports, data kept in {@code dir} (formatted on first use, reused afterwards). */
        public static Options in(Path dir) {
            return new Options(Objects.requireNonNull(dir, "data directory is required"), 0, 0, Map.of());
        }

        public Options withPort(int port) {
            return new Options(dir, port, controllerPort, brokerConfig);
        }

        public Options withControllerPort(int controllerPort) {
            return new Options(dir, port, controllerPort, brokerConfig);
        }

        /** Adds or overrides one broker setting (e.g. {@code num.partitions}); listeners cannot be changed. */
        public Options withBrokerConfig(String key, String value) {
            if (key.startsWith("listener") || key.equals("advertised.listeners") || key.startsWith("controller.")) {
                throw new IllegalArgumentException(
                        key + " is fixed by EmbeddedKafka (loopback listeners); set the port instead");
            }
            Map<String, String> copy = new LinkedHashMap<>(brokerConfig);
            copy.put(key, value);
            return new Options(dir, port, controllerPort, copy);
        }

        private static void checkPort(int port, String what) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + " must be 0 (pick a free one) or 1-65535, got " + port);
            }
        }
    }

    private static Properties serverProperties(Path dir, int port, int controllerPort, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        // One node: every internal topic must be satisfiable with a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Kafka's own default (15 min); Flink's exactly-once sink must ask for less than this.
        p.put("transaction.max.timeout.ms", "900000");
        p.put("num.partitions", "1");
        p.putAll(overrides);
        return p;
    }

    private static void formatIfNeeded(Path dir, Properties props) {
        Path logs = dir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return; // formatting again with a new cluster id would fail; the existing log is reused
        }
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "written by EmbeddedKafka for the storage format step");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            String clusterId = Uuid.randomUuid().toString();
            code = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", file.toString()}, print);
        }
        if (code != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + logs + " failed (" + code + "): "
                    + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort(int... taken) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int p = s.getLocalPort();
                if (taken.length == 0 || p != taken[0]) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not find a free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("Could not find a free port on " + HOST);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }
}
