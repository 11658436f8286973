package io.vigil.harness.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real stack of {@code deploy/local} driven from Java: a Kafka broker and a Flink standalone
 * cluster (one JobManager, TaskManagers in JVMs of their own), all on 127.0.0.1, in a run directory
 * and on ports of this instance's own, so several can run side by side. Every call runs the
 * {@code vigil-local} script, the same commands a person runs.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern TASK_MANAGER_LOG = Pattern.compile("flink-taskmanager-(\\d+)\\.log");

    private final Path script;
    private final Path runDir;
    private final Map<String, String> env = new HashMap<>();
    private final int kafkaPort;
    private final int restPort;
    private final int flinkMetricsPort;
    private final int prometheusPort;
    private final int alertmanagerPort;
    private final int bridgeMetricsPort;
    private final FlinkRest rest;
    private boolean started;

    private LocalStack(Path repository, Path runDir, boolean monitoring, boolean highAvailability) throws IOException {
        this.script = repository.resolve("deploy/local/bin/vigil-local");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("No " + script + ": run from the Vigil repository");
        }
        if (!Files.isDirectory(repository.resolve("deploy/target/local/flink/lib"))) {
            throw new IllegalStateException("The local cluster is not assembled: run mvn -B -pl deploy package");
        }
        this.runDir = runDir.toAbsolutePath();
        this.kafkaPort = freePort();
        this.restPort = freePort();
        env.put("VIGIL_RUN_DIR", this.runDir.toString());
        env.put("VIGIL_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("VIGIL_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        env.put("VIGIL_FLINK_REST_PORT", String.valueOf(restPort));
        env.put("VIGIL_FLINK_RPC_PORT", String.valueOf(freePort()));
        // Flink's Prometheus reporter: the JobManager on this port, TaskManager n on this + n
        this.flinkMetricsPort = freePortRange(METRICS_PORTS);
        env.put("VIGIL_FLINK_METRICS_PORT", String.valueOf(flinkMetricsPort));
        this.prometheusPort = freePort();
        this.alertmanagerPort = freePort();
        this.bridgeMetricsPort = freePort();
        env.put("VIGIL_PROMETHEUS_PORT", String.valueOf(prometheusPort));
        env.put("VIGIL_ALERTMANAGER_PORT", String.valueOf(alertmanagerPort));
        env.put("VIGIL_BRIDGE_METRICS_PORT", String.valueOf(bridgeMetricsPort));
        env.put("VIGIL_PROMETHEUS_SCRAPE_INTERVAL", "2s");
        // Prometheus, Alertmanager and the bridge only where a test asks for them: a benchmark measures
        // the job with nothing else running
        env.put("VIGIL_MONITORING", monitoring ? "auto" : "off");
        // JobManager high availability with the script's own ZooKeeper server, or none
        env.put("VIGIL_HA", highAvailability ? "zookeeper" : "off");
        env.put("VIGIL_ZOOKEEPER_PORT", String.valueOf(freePort()));
        this.rest = new FlinkRest(restUrl());
    }

    /** Starts Kafka, the JobManager and two TaskManagers in {@code runDir} and waits until all are ready. */
    public static LocalStack start(Path repository, Path runDir) throws IOException {
        return start(repository, runDir, false);
    }

    /**
     * Starts the stack, with Prometheus, Alertmanager and the Alertmanager bridge too when
     * {@code monitoring} (those installed: see {@link #prometheusUrl}).
     */
    public static LocalStack start(Path repository, Path runDir, boolean monitoring) throws IOException {
        return start(new LocalStack(repository, runDir, monitoring, false));
    }

    /**
     * Starts the stack with its broker taking only SCRAM-SHA-512 logins over TLS ({@code
     * VIGIL_KAFKA_SECURITY=sasl-ssl}); clients connect with {@link #kafkaClientProperties}.
     */
    public static LocalStack startSecured(Path repository, Path runDir) throws IOException {
        LocalStack stack = new LocalStack(repository, runDir, false, false);
        stack.env.put("VIGIL_KAFKA_SECURITY", "sasl-ssl");
        return start(stack);
    }

    /**
     * Starts the stack with JobManager high availability: a ZooKeeper server (Maven Central's, started by
     * the script before the JobManager) elects the leader and points to the jobs' graphs and checkpoints,
     * which the JobManager keeps in {@code <runDir>/ha}; a JobManager started after one was killed takes its
     * jobs over ({@link #killJobManager}, {@link #startJobManager}).
     */
    public static LocalStack startHighlyAvailable(Path repository, Path runDir) throws IOException {
        return start(new LocalStack(repository, runDir, false, true));
    }

    private static LocalStack start(LocalStack stack) {
        stack.started = true;
        try {
            stack.run("start");
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** The shaded job jar flink-job's build writes into {@code flink-job/target}. */
    public static Path shadedJobJar(Path repository) throws IOException {
        try (java.util.stream.Stream<Path> jars = Files.list(repository.resolve("flink-job/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("vigil-flink-job-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No shaded job jar in flink-job/target: mvn package"));
        }
    }

    /** The repository root, found from the working directory upwards. */
    public static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("deploy/local/bin/vigil-local"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("Not inside the Vigil repository (no deploy/local/bin/vigil-local above "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The Kafka client properties file of a stack started by {@link #startSecured} (Kafka's tools take it too). */
    public Path kafkaClientProperties() {
        return runDir.resolve("conf/kafka/client.properties");
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path runDir() {
        return runDir;
    }

    /** The JobManager's Prometheus metrics port; TaskManager n's is this + n. */
    public int flinkMetricsPort() {
        return flinkMetricsPort;
    }

    /** Prometheus' web UI and HTTP API (when started), scraping every 2 s. */
    public String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    /** Alertmanager's web UI and API (when started). */
    public String alertmanagerUrl() {
        return "http://127.0.0.1:" + alertmanagerPort;
    }

    /** The Alertmanager bridge's metrics endpoint (when started). */
    public String bridgeMetricsUrl() {
        return "http://127.0.0.1:" + bridgeMetricsPort + "/metrics";
    }

    /** Creates topics given as {@code name:partitions[:key=value,...]}. */
    public void createTopics(String... specs) {
        List<String> args = new ArrayList<>(List.of("topics-create"));
        args.addAll(List.of(specs));
        run(args.toArray(String[]::new));
    }

    /** {@code flink run -d}: submits the job jar and returns the job id. */
    public String submit(Path jar, int parallelism, String savepoint, List<String> jobArgs) {
        List<String> args =
                new ArrayList<>(List.of("submit", jar.toAbsolutePath().toString(), "-p", String.valueOf(parallelism)));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.add("--");
        args.addAll(jobArgs);
        return run(args.toArray(String[]::new)).strip();
    }

    /** {@code flink stop}: a savepoint, then the job ends; returns the savepoint path. */
    public String stopWithSavepoint(String jobId) {
        return run("stop-with-savepoint", jobId).strip();
    }

    public void cancel(String jobId) {
        run("cancel", jobId);
    }

    /** SIGKILL of TaskManager n. */
    public void killTaskManager(int n) {
        run("tm-kill", String.valueOf(n));
    }

    /**
     * SIGKILL of TaskManager n from this process, by the PID the script recorded, without starting the script:
     * a fault test that must land inside a window of milliseconds (a checkpoint in flight, a model swap not yet
     * checkpointed) cannot wait the script's start-up.
     */
    public void killTaskManagerNow(int n) {
        ProcessHandle tm = taskManagerProcess(n)
                .orElseThrow(() -> new IllegalStateException("TaskManager " + n + " is not running"));
        if (!tm.destroyForcibly()) {
            throw new IllegalStateException("Could not send SIGKILL to TaskManager " + n + " (pid " + tm.pid() + ")");
        }
    }

    /** The numbers of the TaskManagers whose recorded process is alive, in ascending order. */
    public List<Integer> runningTaskManagers() {
        List<Integer> out = new ArrayList<>();
        for (int n = 1; n <= highestTaskManager(); n++) {
            if (taskManagerProcess(n).isPresent()) {
                out.add(n);
            }
        }
        return out;
    }

    /** A TaskManager number not used yet in this run dir (its logs stay apart from every earlier one's). */
    public int unusedTaskManager() {
        return highestTaskManager() + 1;
    }

    private int highestTaskManager() {
        int highest = 0;
        try (var logs = Files.list(runDir.resolve("logs"))) {
            for (Path f : logs.toList()) {
                var m = TASK_MANAGER_LOG.matcher(f.getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return highest;
    }

    private Optional<ProcessHandle> taskManagerProcess(int n) {
        Path pidFile = runDir.resolve("pids/taskmanager-" + n + ".pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TaskManager n's log file (Flink's log of that JVM). */
    public Path taskManagerLog(int n) {
        return runDir.resolve("logs/flink-taskmanager-" + n + ".log");
    }

    /** The JobManager's log file. */
    public Path jobManagerLog() {
        return runDir.resolve("logs/flink-jobmanager.log");
    }

    /** Stops the Kafka broker (SIGTERM); its data stays in the run dir. */
    public void stopKafka() {
        run("kafka-stop");
    }

    /** Starts the Kafka broker again on its port and data, and waits until it is ready. */
    public void startKafka() {
        run("kafka-start");
    }

    /** SIGKILL of the JobManager. */
    public void killJobManager() {
        run("jm-kill");
    }

    /** Starts the JobManager and waits until its REST API answers (with HA: once it leads). */
    public void startJobManager() {
        run("jm-start");
    }

    /** Starts TaskManager n and waits until it has registered. */
    public void startTaskManager(int n) {
        run("tm-start", String.valueOf(n));
    }

    /** GET on the Flink REST API. */
    public JsonNode rest(String path) {
        return rest.get(path);
    }

    /** The JobManager's REST API. */
    public FlinkRest flinkRest() {
        return rest;
    }

    /** The job's state as the JobManager reports it (RUNNING, RESTARTING, FINISHED, ...). */
    public String jobState(String jobId) {
        return rest("/jobs/" + jobId).path("state").asText();
    }

    /** Whether the job is RUNNING with every task RUNNING (or FINISHED). */
    public boolean allTasksRunning(String jobId) {
        JsonNode job = rest("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            JsonNode tasks = v.path("tasks");
            int total = 0;
            int ok = 0;
            for (var it = tasks.fields(); it.hasNext(); ) {
                var e = it.next();
                total += e.getValue().asInt();
                if (e.getKey().equals("RUNNING") || e.getKey().equals("FINISHED")) {
                    ok += e.getValue().asInt();
                }
            }
            if (ok < total || total == 0) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the job reaches {@code state}; fails with the last state seen. */
    public void awaitState(String jobId, String state, Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last.set(jobState(jobId));
                        if (List.of("FAILED", "CANCELED").contains(last.get())
                                && !last.get().equals(state)) {
                            throw new IllegalStateException("Job " + jobId + " is " + last.get() + ", expected " + state
                                    + "; see the logs in " + runDir.resolve("logs"));
                        }
                        return last.get().equals(state);
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "Job " + jobId + " still " + last.get() + " after " + timeout + ", expected " + state);
        }
    }

    /**
     * The sum over subtasks of an operator metric whose name ends with {@code suffix}, e.g.
     * {@code vigil.model_rejections_total} of the scoring operator; 0 while it is not reported yet.
     */
    public long operatorMetric(String jobId, String vertexNamePrefix, String suffix) {
        boolean vertex = false;
        for (JsonNode v : rest("/jobs/" + jobId).path("vertices")) {
            vertex |= v.path("name").asText().contains(vertexNamePrefix);
        }
        if (!vertex) {
            throw new IllegalStateException("Job " + jobId + " has no vertex named " + vertexNamePrefix + "...");
        }
        return Math.max(0, rest.metricSum(jobId, vertexNamePrefix, suffix));
    }

    /** Runs a vigil-local command, returns its stdout; throws with its stderr when it fails. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().remove("VIGIL_KAFKA_BOOTSTRAP");
        try {
            Path out = Files.createTempFile("vigil-local-", ".out");
            Path err = Files.createTempFile("vigil-local-", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "vigil-local " + String.join(" ", args) + " did not finish in " + SCRIPT_TIMEOUT);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(out);
            Files.delete(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "vigil-local " + String.join(" ", args) + " failed (exit " + p.exitValue() + "):\n" + stderr);
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every process of this stack (by the PIDs the script recorded). */
    @Override
    public void close() {
        if (started) {
            started = false;
            run("stop");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Metrics ports of the JobManager and of TaskManagers 1 to 5 (tests start a third one). */
    private static final int METRICS_PORTS = 6;

    /** The first of {@code n} consecutive ports that are free now (on every interface, as the reporter binds). */
    private static int freePortRange(int n) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            if (first + n > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = first; p < first + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(false);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("No " + n + " consecutive free ports found");
    }
}
