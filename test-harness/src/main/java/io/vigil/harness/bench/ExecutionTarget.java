package io.vigil.harness.bench;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a benchmark job runs. Each run gets a fresh environment, so no run inherits another's cluster
 * state; {@link MiniClusterTarget} is one fresh MiniCluster per job in this JVM (a standalone cluster
 * would return a remote environment).
 */
public interface ExecutionTarget {

    /** A fresh environment for one job, at the target's parallelism. */
    StreamExecutionEnvironment newEnvironment();

    int parallelism();

    /** One line for the report, e.g. "Flink MiniCluster in the benchmark JVM, parallelism 2". */
    String describe();
}
