package io.vigil.harness.flink;

import io.vigil.job.config.InProcessCluster;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * An in-process Flink (a MiniCluster started by the local environment) that listens on 127.0.0.1
 * only and loads ND4J once, from the application class path, as the standalone cluster does.
 */
public final class LocalFlink {

    private LocalFlink() {}

    /** The configuration every in-process cluster of the harness uses: loopback, its web UI on {@code restPorts}. */
    public static Configuration loopback(String restPorts) {
        Configuration c = InProcessCluster.loopback();
        c.set(RestOptions.BIND_PORT, restPorts);
        return c;
    }

    /** A local environment of the given parallelism; its web UI takes the first free port of {@code restPorts}. */
    public static StreamExecutionEnvironment environment(int parallelism, String restPorts, Configuration extra) {
        Configuration c = loopback(restPorts);
        c.addAll(extra);
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(withParallelism(c, parallelism));
    }

    private static Configuration withParallelism(Configuration c, int parallelism) {
        c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        c.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        return c;
    }
}
