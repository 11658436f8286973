package io.vigil.harness.bench;

import io.vigil.harness.cluster.FlinkRest;
import io.vigil.job.config.InProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A fresh local Flink MiniCluster per job (created on submit, shut down when the job ends), bound to
 * 127.0.0.1 only, with DL4J, ND4J and JavaCPP loaded parent-first so native libraries load once per JVM.
 */
public final class MiniClusterTarget implements ExecutionTarget {

    private final int parallelism;
    private FlinkRest rest;

    public MiniClusterTarget(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /** A local environment whose MiniCluster serves REST on a free loopback port of its own ({@link #rest}). */
    @Override
    public StreamExecutionEnvironment newEnvironment() {
        Configuration c = configuration();
        int port = freePort();
        c.setString("rest.bind-port", String.valueOf(port));
        c.setString("rest.port", String.valueOf(port));
        rest = new FlinkRest("http://127.0.0.1:" + port);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
    }

    @Override
    public FlinkRest rest() {
        if (rest == null) {
            throw new IllegalStateException("no environment yet: the REST API is the latest environment's");
        }
        return rest;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String describe() {
        return "Flink MiniCluster in the benchmark's JVM (one per job), parallelism " + parallelism;
    }

    /**
     * Loopback-only addresses, no restarts (a failure must fail the run), DL4J parent-first, metrics
     * fetched for REST every 500 ms (Flink's default is 10 s).
     */
    static Configuration configuration() {
        Configuration c = InProcessCluster.loopback();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        return c;
    }
}
