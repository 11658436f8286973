package io.vigil.bridge;

import io.vigil.kafka.KafkaAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Alertmanager bridge: reads Vigil's alert topic ({@code read_committed}) and keeps Alertmanager
 * told. An OPEN record fires an alert, an UPDATE refreshes it (or, at a higher severity, replaces it),
 * a RESOLVED record resolves it; every open alert is sent again every {@code resend-interval}, so
 * Alertmanager keeps it. While Alertmanager fails, the bridge keeps reading and retries with backoff;
 * what was delivered is committed to Kafka, so a restarted bridge sends what is missing and revives
 * nothing ({@link AlertTable}). One thread does everything.
 *
 * <pre>{@code
 * java -jar vigil-alert-bridge-app.jar --config alert-bridge.properties
 * }</pre>
 */
@Command(
        name = "vigil-alert-bridge",
        mixinStandardHelpOptions = true,
        description = "Sends Vigil's alerts (the alert topic) to Prometheus Alertmanager's v2 API, restart-safe.")
public final class AlertBridge implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertBridge.class);
    /** Alerts per request to Alertmanager. */
    static final int BATCH = 500;
    /** Poll timeout: the granularity of resends, retries and held resolves. */
    private static final Duration TICK = Duration.ofMillis(200);
    /** A firing alert is valid this many resend intervals (Prometheus does the same). */
    private static final int FIRING_FOR_RESENDS = 4;
    /** Repeated failures are logged at most this often. */
    private static final Duration FAILURE_LOG_EVERY = Duration.ofSeconds(30);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the bridge's .properties file")
    Path configFile;

    private final Clock clock;
    private volatile boolean running = true;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public AlertBridge() {
        this(Clock.systemUTC());
    }

    /** How long the check at start waits for Kafka to answer. */
    private static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(10);

    AlertBridge(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new AlertBridge());
        int code = cli.execute(args);
        if (cli.isUsageHelpRequested()) {
            System.out.printf("%nConfiguration keys (see deploy/alert-bridge/README.md):%n%s", BridgeConfig.describe());
        }
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        BridgeConfig config;
        try {
            config = BridgeConfig.load(configFile);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil-alert-bridge: the configuration is not usable. " + e.getMessage());
            return 2;
        }
        LOG.info("Kafka at {}: {}", config.bootstrapServers(), KafkaAccess.describe(config.kafkaProperties()));
        try {
            String warning = KafkaAccess.check(config.bootstrapServers(), config.kafkaProperties(), ACCESS_TIMEOUT);
            if (warning != null) {
                LOG.warn("{}; waiting for it", warning);
            }
        } catch (KafkaAccess.KafkaAccessException e) {
            System.err.println("vigil-alert-bridge: cannot read the alert topic. " + e.getMessage());
            return 1;
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop();
                            try {
                                stopped.await();
                            } catch (InterruptedException e) {
                                main.interrupt();
                            }
                        },
                        "vigil-alert-bridge-shutdown"));
        run(config);
        return 0;
    }

    /** Asks the loop to finish (what is due is sent once more, offsets are committed). */
    public void stop() {
        running = false;
    }

    void run(BridgeConfig config) throws Exception {
        AlertmanagerClient alertmanager =
                new AlertmanagerClient(config.alertmanagerUrl(), config.requestTimeout(), config.generatorUrl());
        AlertTable table = new AlertTable(AlertMapping.of(config), config.minFiring());
        Duration firingFor = config.resendInterval().multipliedBy(FIRING_FOR_RESENDS);
        try (BridgeMetrics metrics = new BridgeMetrics(config.metricsAddress());
                AlertTopic topic = new AlertTopic(config)) {
            LOG.info(
                    "Reading alerts from topic {} on {} (read_committed; group {} records what was delivered)",
                    config.topic(),
                    config.bootstrapServers(),
                    config.groupId());
            LOG.info(
                    "Sending them to Alertmanager at {}: open alerts again every {}, valid {} each time;"
                            + " a resolve no sooner than {} after its alert first fired",
                    alertmanager.alertsUri(),
                    config.resendInterval(),
                    firingFor,
                    config.minFiring());
            LOG.info(
                    metrics.port() < 0
                            ? "No metrics endpoint (metrics.listen is empty)"
                            : "Metrics on http://" + config.metricsAddress().getHostString() + ":" + metrics.port()
                                    + "/metrics");
            try {
                LOG.info("Alertmanager answers: {}", alertmanager.status());
            } catch (AlertmanagerClient.Failure e) {
                LOG.warn(
                        "Alertmanager at {} does not answer yet: {}; alerts are kept and sent when it does",
                        config.alertmanagerUrl(),
                        e.getMessage());
            }
            topic.awaitTopic(() -> running);
            if (!running) {
                return;
            }
            long started = System.nanoTime();
            int read = topic.rebuild(table, metrics, clock.instant());
            LOG.info(
                    "Read the topic's {} alert records in {} ms: {} alerts open, {} changes for Alertmanager",
                    read,
                    (System.nanoTime() - started) / 1_000_000,
                    table.firing(),
                    table.pending());
            loop(topic, table, alertmanager, metrics, firingFor, config);
        } finally {
            stopped.countDown();
        }
    }

    private void loop(
            AlertTopic topic,
            AlertTable table,
            AlertmanagerClient alertmanager,
            BridgeMetrics metrics,
            Duration firingFor,
            BridgeConfig config) {
        Backoff backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
        Instant nextAttempt = Instant.MIN;
        Instant nextResend = Instant.MIN;
        Instant failingSince = null;
        Instant lastFailureLog = Instant.MIN;
        boolean last = false;
        while (true) {
            try {
                for (AlertTopic.Record r : topic.poll(last ? Duration.ZERO : TICK, metrics)) {
                    table.apply(r.alert(), r.partition(), r.offset(), false, clock.instant());
                }
            } catch (WakeupException e) {
                // stop() woke the poll
            }
            Instant now = clock.instant();
            if (!now.isBefore(nextAttempt) || last) {
                boolean resendAll = !now.isBefore(nextResend);
                table.limitHeld(now);
                List<AlertTable.Delivery> due = table.due(now, resendAll, firingFor);
                try {
                    for (int i = 0; i < due.size(); i += BATCH) {
                        List<AlertTable.Delivery> batch = due.subList(i, Math.min(due.size(), i + BATCH));
                        try {
                            alertmanager.post(batch);
                        } catch (AlertmanagerClient.Failure e) {
                            if (!e.rejected()) {
                                throw e;
                            }
                            // Alertmanager refuses these alerts themselves: sending them again cannot help
                            metrics.failed(true);
                            LOG.error("Alertmanager rejected {} alerts, dropped: {}", batch.size(), e.getMessage());
                        }
                        table.delivered(batch, now);
                        int firing = (int) batch.stream()
                                .filter(AlertTable.Delivery::firing)
                                .count();
                        metrics.sent(firing, batch.size() - firing, now);
                    }
                    if (failingSince != null) {
                        LOG.info(
                                "Alertmanager at {} accepts alerts again after {} s; sent {} alerts",
                                config.alertmanagerUrl(),
                                Duration.between(failingSince, now).toSeconds(),
                                due.size());
                        failingSince = null;
                    }
                    backoff.reset();
                    if (resendAll) {
                        nextResend = now.plus(config.resendInterval());
                    }
                    nextAttempt = now;
                } catch (AlertmanagerClient.Failure e) {
                    metrics.failed(false);
                    Duration wait = backoff.next();
                    nextAttempt = now.plus(wait);
                    if (failingSince == null
                            || Duration.between(lastFailureLog, now).compareTo(FAILURE_LOG_EVERY) >= 0) {
                        LOG.warn(
                                "Cannot send {} alerts to Alertmanager{}: {}; retrying in {} ms, nothing is lost meanwhile",
                                due.size(),
                                failingSince == null ? "" : " (failing since " + failingSince + ")",
                                e.getMessage(),
                                wait.toMillis());
                        lastFailureLog = now;
                    }
                    if (failingSince == null) {
                        failingSince = now;
                    }
                }
                topic.commit(table.commits(topic.positions()));
            }
            metrics.state(table, topic.lag(), now);
            if (last) {
                return;
            }
            last = !running;
        }
    }
}
