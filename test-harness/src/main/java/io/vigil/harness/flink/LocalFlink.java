package io.vigil.harness.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * An in-process Flink (a MiniCluster started by the local environment) that listens on 127.0.0.1
 * only and loads ND4J once, from the application class path, as the standalone cluster does.
 */
public final class LocalFlink {

    private LocalFlink() {}

    /** The configuration every in-process cluster of the harness uses. */
    public static Configuration loopback(String restPorts) {
        Configuration c = new Configuration();
        c.setString("rest.bind-address", "127.0.0.1");
        c.setString("rest.address", "127.0.0.1");
        c.setString("rest.bind-port", restPorts);
        c.setString("jobmanager.bind-host", "127.0.0.1");
        c.setString("jobmanager.rpc.address", "127.0.0.1");
        c.setString("taskmanager.bind-host", "127.0.0.1");
        c.setString("taskmanager.host", "127.0.0.1");
        c.setString("classloader.parent-first-patterns.additional", "org.nd4j.;org.bytedeco.;org.deeplearning4j.");
        return c;
    }

    /** A local environment of the given parallelism; its web UI takes the first free port of {@code restPorts}. */
    public static StreamExecutionEnvironment environment(int parallelism, String restPorts, Configuration extra) {
        Configuration c = loopback(restPorts);
        c.addAll(extra);
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(withParallelism(c, parallelism));
    }

    private static Configuration withParallelism(Configuration c, int parallelism) {
        c.setString("parallelism.default", String.valueOf(parallelism));
        c.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        return c;
    }
}
