package io.vigil.harness.bench;

import java.util.List;
import java.util.regex.Pattern;

/** Names the role of a thread in the benchmark's JVM from its name (Flink task, Kafka broker, ...). */
public final class ThreadRoles {

    public static final String SOURCE = "source + decode";
    public static final String SCORING = "scoring (+ chained sink writers)";
    public static final String ENCODE = "pass-through encode (+ chained sink writers)";
    public static final String OTHER_TASKS = "other tasks";
    public static final String MODEL_UPDATES = "model-updates source";
    public static final String PRODUCER_IO = "sink producer I/O";
    /** ND4J's and JavaCPP's threads that free native memory of INDArrays the garbage collector found dead. */
    public static final String DEALLOCATORS = "ND4J/JavaCPP deallocators";
    public static final String BROKER = "kafka broker";
    public static final String FLINK_RUNTIME = "flink runtime";
    /** The benchmark's own thread: builds and submits the job (starting the MiniCluster) and reads the output. */
    public static final String METER = "benchmark main (submit, meter)";
    public static final String OTHER = "other threads";
    /** Process CPU that no Java thread accounts for: GC, JIT compiler, other VM-internal threads. */
    public static final String JVM_INTERNAL = "JVM internal (GC, JIT)";

    /** Display order of the roles in reports. */
    public static final List<String> ORDER = List.of(SOURCE, SCORING, ENCODE, OTHER_TASKS, MODEL_UPDATES, PRODUCER_IO,
            DEALLOCATORS, BROKER, FLINK_RUNTIME, METER, OTHER, JVM_INTERNAL);

    /** {@code <task chain> (<subtask>/<parallelism>)#<attempt>}: a Flink task thread. */
    private static final Pattern TASK = Pattern.compile("^(.*) \\(\\d+/\\d+\\)#\\d+$");

    private static final List<String> BROKER_PREFIXES = List.of("data-plane-kafka", "kafka-request-handler",
            "kafka-network-thread", "kafka-scheduler", "kafka-log-cleaner", "ExpirationReaper", "raft", "quorum",
            "controller", "broker-", "LogDirFailureHandler", "TxnMarkerSenderThread", "transaction", "group-coordinator",
            "share-", "metadata", "kafka-", "executor-", "ReplicaFetcher", "feature-", "client-metrics",
            "event-process-thread", "delayed-", "AlterPartition", "ClientQuotaManager", "ThrottledChannelReaper",
            "remote-log", "kafka-raft", "node-");

    private static final List<String> FLINK_PREFIXES = List.of("flink-", "Flink", "pekko", "jobmanager", "taskmanager",
            "AsyncOperations", "Checkpoint", "mini-cluster", "cluster-io", "IOExecutor", "Timer", "FlinkCompletableFuture",
            "Blob", "BLOB", "Source Coordinator", "SourceCoordinator", "Legacy Source", "ForkJoinPool", "Output Flusher",
            "OutputFlusher", "Task Manager", "flink", "Hashed wheel timer", "netty", "Thread-", "metrics",
            "ResourceManager", "Dispatcher", "JobMaster", "SlotManager");

    private ThreadRoles() {}

    public static String of(String threadName) {
        if (threadName == null) {
            return OTHER;
        }
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return PRODUCER_IO;
        }
        if (threadName.startsWith("Source Data Fetcher for ")) {
            return threadName.contains("model-updates") ? MODEL_UPDATES : SOURCE;
        }
        var task = TASK.matcher(threadName);
        if (task.matches()) {
            String chain = task.group(1);
            if (chain.startsWith("Source: readings")) {
                return SOURCE;
            }
            if (chain.startsWith("Source: model-updates")) {
                return MODEL_UPDATES;
            }
            if (chain.startsWith("score (")) {
                return SCORING;
            }
            if (chain.startsWith("encode (")) {
                return ENCODE;
            }
            return OTHER_TASKS;
        }
        if (threadName.startsWith("DeallocatorServiceThread") || threadName.startsWith("JavaCPP Deallocator")) {
            return DEALLOCATORS;
        }
        if (threadName.equals("main") || threadName.startsWith("bench-")) {
            return METER;
        }
        for (String p : FLINK_PREFIXES) {
            if (threadName.startsWith(p)) {
                return FLINK_RUNTIME;
            }
        }
        for (String p : BROKER_PREFIXES) {
            if (threadName.startsWith(p)) {
                return BROKER;
            }
        }
        return OTHER;
    }
}
