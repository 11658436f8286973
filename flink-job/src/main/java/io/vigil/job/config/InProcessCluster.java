package io.vigil.job.config;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The configuration of every Flink cluster Vigil runs inside a JVM of its own (a MiniCluster: the
 * pipeline's integration tests, the embedded demo, the corpus and benchmark runs): every address on
 * 127.0.0.1 (otherwise the BLOB server and the REST endpoint listen on all interfaces), and ND4J,
 * JavaCPP and DL4J loaded parent-first, once, from the application class path, as the standalone
 * cluster's {@code classloader.parent-first-patterns.additional} does (deploy/local/conf/flink/config.yaml).
 */
public final class InProcessCluster {

    /** The packages loaded parent-first: a second, child-first ND4J would unpack its native libraries again. */
    public static final List<String> PARENT_FIRST = List.of("org.nd4j.", "org.bytedeco.", "org.deeplearning4j.");

    private InProcessCluster() {}

    /** Loopback addresses and the DL4J packages parent-first; the callers add what is theirs. */
    public static Configuration loopback() {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.HOST, "127.0.0.1");
        c.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, PARENT_FIRST);
        return c;
    }
}
