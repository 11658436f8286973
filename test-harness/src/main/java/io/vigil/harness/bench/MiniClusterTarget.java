package io.vigil.harness.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A fresh local Flink MiniCluster per job (created on submit, shut down when the job ends), bound to
 * 127.0.0.1 only, with DL4J, ND4J and JavaCPP loaded parent-first so native libraries load once per JVM.
 */
public final class MiniClusterTarget implements ExecutionTarget {

    private final int parallelism;

    public MiniClusterTarget(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    @Override
    public StreamExecutionEnvironment newEnvironment() {
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, configuration());
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String describe() {
        return "Flink MiniCluster in the benchmark's JVM (one per job), parallelism " + parallelism;
    }

    /** Loopback-only addresses, no restarts (a failure must fail the run), DL4J parent-first. */
    static Configuration configuration() {
        Configuration c = new Configuration();
        c.setString("restart-strategy.type", "none");
        c.setString("rest.bind-address", "127.0.0.1");
        c.setString("rest.address", "127.0.0.1");
        c.setString("rest.bind-port", "0");
        c.setString("jobmanager.bind-host", "127.0.0.1");
        c.setString("jobmanager.rpc.address", "127.0.0.1");
        c.setString("taskmanager.bind-host", "127.0.0.1");
        c.setString("taskmanager.host", "127.0.0.1");
        c.setString("classloader.parent-first-patterns.additional", "org.nd4j.;org.bytedeco.;org.deeplearning4j.");
        return c;
    }
}
