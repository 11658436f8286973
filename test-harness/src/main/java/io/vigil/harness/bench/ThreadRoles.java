package io.vigil.harness.bench;

import java.util.List;
import java.util.Map;
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
    /** Asynchronous part of checkpoints: writing the state snapshot. */
    public static final String CHECKPOINTING = "checkpoint writing (async)";
    /** RocksDB's own background threads: compaction and flushes. */
    public static final String ROCKSDB = "RocksDB compaction + flush";
    /** The JIT compiler threads (seen only when the job runs in other processes, by their Linux names). */
    public static final String JIT = "JIT compiler";
    /** The garbage collector's threads (likewise). */
    public static final String GC = "garbage collector";
    /** Process CPU that no Java thread accounts for: GC, JIT compiler, other VM-internal threads. */
    public static final String JVM_INTERNAL = "JVM internal (GC, JIT)";

    /** Display order of the roles in reports. */
    public static final List<String> ORDER = List.of(
            SOURCE,
            SCORING,
            ENCODE,
            OTHER_TASKS,
            MODEL_UPDATES,
            PRODUCER_IO,
            DEALLOCATORS,
            CHECKPOINTING,
            ROCKSDB,
            BROKER,
            FLINK_RUNTIME,
            METER,
            OTHER,
            JIT,
            GC,
            JVM_INTERNAL);

    /** Task threads by the first 15 characters of their names, as Linux keeps them. */
    private static final Map<String, String> LINUX_TASK_PREFIXES = Map.of(
            "score (",
            SCORING,
            "encode (",
            ENCODE,
            // the transaction pipeline: its account features and its scoring are two tasks (Flink chains no
            // operator of two inputs, and the scoring operator has the model updates as its second), both scoring
            "account feature",
            SCORING,
            "score transacti",
            SCORING,
            "encode transac",
            ENCODE,
            "Source: reading",
            SOURCE,
            "Source: transac",
            SOURCE,
            "Source Data Fet",
            SOURCE,
            "Source: model-u",
            MODEL_UPDATES,
            "kafka-producer-",
            PRODUCER_IO);

    /** {@code <task chain> (<subtask>/<parallelism>)#<attempt>}: a Flink task thread. */
    private static final Pattern TASK = Pattern.compile("^(.*) \\(\\d+/\\d+\\)#\\d+$");

    private static final List<String> BROKER_PREFIXES = List.of(
            "data-plane-kafka",
            "kafka-request-handler",
            "kafka-network-thread",
            "kafka-scheduler",
            "kafka-log-cleaner",
            "ExpirationReaper",
            "raft",
            "quorum",
            "controller",
            "broker-",
            "LogDirFailureHandler",
            "TxnMarkerSenderThread",
            "transaction",
            "group-coordinator",
            "share-",
            "metadata",
            "kafka-",
            "executor-",
            "ReplicaFetcher",
            "feature-",
            "client-metrics",
            "event-process-thread",
            "delayed-",
            "AlterPartition",
            "ClientQuotaManager",
            "ThrottledChannelReaper",
            "remote-log",
            "kafka-raft",
            "node-");

    private static final List<String> FLINK_PREFIXES = List.of(
            "flink-",
            "Flink",
            "pekko",
            "jobmanager",
            "taskmanager",
            "AsyncOperations",
            "Checkpoint",
            "mini-cluster",
            "cluster-io",
            "IOExecutor",
            "Timer",
            "FlinkCompletableFuture",
            "Blob",
            "BLOB",
            "Source Coordinator",
            "SourceCoordinator",
            "Legacy Source",
            "ForkJoinPool",
            "Output Flusher",
            "OutputFlusher",
            "Task Manager",
            "flink",
            "Hashed wheel timer",
            "netty",
            "Thread-",
            "metrics",
            "ResourceManager",
            "Dispatcher",
            "JobMaster",
            "SlotManager");

    private ThreadRoles() {}

    /**
     * The role of a thread of another process by its Linux name ({@code /proc/<pid>/task/<tid>/comm}:
     * the Java name cut to 15 characters, or the VM's own name for its threads).
     */
    public static String ofLinuxName(String name) {
        if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return GC;
        }
        if (name.startsWith("rocksdb:")) {
            return ROCKSDB;
        }
        if (name.startsWith("Flink-RocksDBSt")) {
            return CHECKPOINTING; // uploads of the incremental snapshot's files
        }
        if (name.startsWith("VM Thread") || name.startsWith("VM Periodic")) {
            return JVM_INTERNAL;
        }
        for (Map.Entry<String, String> e : LINUX_TASK_PREFIXES.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return of(name);
    }

    public static String of(String threadName) {
        if (threadName == null) {
            return OTHER;
        }
        if (threadName.startsWith("AsyncOperations")) {
            return CHECKPOINTING;
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
            if (chain.startsWith("Source: readings") || chain.startsWith("Source: transactions")) {
                return SOURCE;
            }
            if (chain.startsWith("Source: model-updates")) {
                return MODEL_UPDATES;
            }
            if (chain.startsWith("score (")
                    || chain.startsWith("score transactions (")
                    || chain.startsWith("account features")) {
                return SCORING;
            }
            if (chain.startsWith("encode (") || chain.startsWith("encode transactions (")) {
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
