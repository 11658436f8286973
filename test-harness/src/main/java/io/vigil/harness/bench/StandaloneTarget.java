package io.vigil.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.harness.cluster.FlinkRest;
import io.vigil.harness.cluster.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The local standalone cluster of {@code deploy/local} (a JobManager and TaskManagers, each its own JVM),
 * jobs submitted over its REST API with the shaded job jar (and the harness jar, for the pass-through
 * job) as their user code. CPU and memory are the Flink processes' own, read from {@code /proc}: the
 * TaskManagers' and the JobManager's CPU, the TaskManagers' resident memory.
 */
public final class StandaloneTarget implements ExecutionTarget {

    private final LocalStack stack;
    private final List<Path> jars;
    private final int parallelism;

    public StandaloneTarget(LocalStack stack, List<Path> jars, int parallelism) {
        this.stack = stack;
        this.jars = List.copyOf(jars);
        this.parallelism = parallelism;
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(
                        "No jar at " + jar + ": build it first (mvn -B package -DskipTests)");
            }
        }
    }

    /** The shaded job jar and the harness jar of this checkout, as {@code mvn package} leaves them. */
    public static List<Path> repositoryJars(Path repository) {
        return List.of(
                find(repository.resolve("flink-job/target"), "vigil-flink-job-.*-job\\.jar"),
                find(repository.resolve("test-harness/target"), "vigil-test-harness-[0-9][^-]*(-SNAPSHOT)?\\.jar"));
    }

    private static Path find(Path dir, String pattern) {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(pattern))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "No " + pattern + " in " + dir + ": build it first (mvn -B package -DskipTests)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StreamExecutionEnvironment newEnvironment() {
        URI rest = URI.create(stack.restUrl());
        Configuration client = new Configuration();
        client.setString("rest.address", rest.getHost());
        client.setString("rest.port", String.valueOf(rest.getPort()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                rest.getHost(),
                rest.getPort(),
                client,
                jars.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new));
        env.setParallelism(parallelism);
        return env;
    }

    @Override
    public FlinkRest rest() {
        return stack.flinkRest();
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String describe() {
        return "local standalone cluster (deploy/local/bin/vigil-local): a JobManager and "
                + taskManagers().size()
                + " TaskManagers of one slot each, separate JVMs (taskmanager.memory.process.size "
                + taskManagerProcessSize() + "), parallelism "
                + parallelism + "; jobs submitted over REST with the shaded job jar; CPU = JobManager + TaskManagers,"
                + " RSS = TaskManagers";
    }

    /**
     * The TaskManagers' process size as the running stack was given it, so that a report states the size
     * its runs used even when deploy/local's template was changed for an experiment.
     */
    private String taskManagerProcessSize() {
        return processSizeIn(stack.runDir().resolve("conf").resolve("flink"));
    }

    /**
     * {@code taskmanager.memory.process.size} of the config.yaml in {@code confDir} (the copy vigil-local
     * renders into its run directory), read with Flink's own reader, in mebibytes ("1792m").
     */
    static String processSizeIn(Path confDir) {
        Path file = confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME);
        if (!Files.isRegularFile(file)) {
            return "unknown: no " + file;
        }
        Configuration config = GlobalConfiguration.loadConfiguration(confDir.toString());
        return config.getOptional(TaskManagerOptions.TOTAL_PROCESS_MEMORY)
                .map(size -> size.getMebiBytes() + "m")
                .orElse("not set in " + file);
    }

    @Override
    public long cpuNanos() {
        List<Long> pids = new ArrayList<>(taskManagers());
        pids.addAll(pids("jobmanager.pid"));
        return sum(pids, ProcessResources::cpuNanosOf);
    }

    @Override
    public List<Long> loadPids() {
        return pids("kafka\\.pid");
    }

    @Override
    public java.util.Map<String, Long> threadCpuNanos() {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (long pid : taskManagers()) {
            ProcessResources.threadCpuNanosOf(pid).forEach((thread, nanos) -> out.put(pid + ":" + thread, nanos));
        }
        return out;
    }

    @Override
    public long rssBytes() {
        return sum(taskManagers(), ProcessResources::rssBytesOf);
    }

    /** The sum of {@code of} over the processes, or -1 if any of them is unknown (gone). */
    private static long sum(List<Long> pids, java.util.function.LongUnaryOperator of) {
        long sum = 0;
        for (long pid : pids) {
            long v = of.applyAsLong(pid);
            if (v < 0) {
                return -1;
            }
            sum += v;
        }
        return sum;
    }

    /**
     * From {@code /jobs/J/checkpoints} and, per completed checkpoint and job vertex, the subtasks' summary of
     * {@code /jobs/J/checkpoints/details/ID/subtasks/VERTEX}: the longest synchronous part, alignment
     * and start delay. A checkpoint whose details the JobManager no longer has keeps -1 for them.
     */
    @Override
    public List<CheckpointOverlap.Span> checkpointHistory(String jobId) {
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode v : stack.rest("/jobs/" + jobId).path("vertices")) {
            names.put(v.path("id").asText(), v.path("name").asText());
        }
        long now = System.currentTimeMillis();
        List<CheckpointOverlap.Span> out = new ArrayList<>();
        for (JsonNode h : stack.rest("/jobs/" + jobId + "/checkpoints").path("history")) {
            long id = h.path("id").asLong();
            String status = h.path("status").asText();
            long trigger = h.path("trigger_timestamp").asLong();
            long end = switch (status) {
                case "COMPLETED" -> h.path("latest_ack_timestamp").asLong();
                case "FAILED" -> h.path("failure_timestamp").asLong(now);
                default -> now;
            };
            long sync = -1;
            long alignment = -1;
            long startDelay = -1;
            String syncVertex = "";
            String alignmentVertex = "";
            if ("COMPLETED".equals(status)) {
                for (String vertex : names.keySet()) { // the overview's entries list no tasks
                    JsonNode summary;
                    try {
                        summary = stack.rest("/jobs/" + jobId + "/checkpoints/details/" + id + "/subtasks/" + vertex)
                                .path("summary");
                    } catch (RuntimeException e) {
                        continue; // evicted from the history since it was listed
                    }
                    long s = summary.path("checkpoint_duration")
                            .path("sync")
                            .path("max")
                            .asLong(-1);
                    long a = summary.path("alignment")
                            .path("duration")
                            .path("max")
                            .asLong(-1);
                    if (s > sync) {
                        sync = s;
                        syncVertex = names.getOrDefault(vertex, vertex);
                    }
                    if (a > alignment) {
                        alignment = a;
                        alignmentVertex = names.getOrDefault(vertex, vertex);
                    }
                    startDelay = Math.max(
                            startDelay, summary.path("start_delay").path("max").asLong(-1));
                }
            }
            out.add(new CheckpointOverlap.Span(
                    id, status, trigger, end, sync, syncVertex, alignment, alignmentVertex, startDelay));
        }
        out.sort(java.util.Comparator.comparingLong(CheckpointOverlap.Span::triggerMillis));
        return out;
    }

    @Override
    public String diagnose(String jobId) {
        try {
            JsonNode exceptions = stack.rest("/jobs/" + jobId + "/exceptions")
                    .path("exceptionHistory")
                    .path("entries");
            String last = exceptions.isEmpty()
                    ? "none"
                    : exceptions
                            .get(0)
                            .path("stacktrace")
                            .asText()
                            .lines()
                            .limit(3)
                            .reduce((a, b) -> a + " | " + b)
                            .orElse("");
            return String.format(
                    "job %s %s after %d failure(s); latest: %s", jobId, stack.jobState(jobId), exceptions.size(), last);
        } catch (RuntimeException e) {
            return "job " + jobId + ": " + e.getMessage();
        }
    }

    @Override
    public boolean runsInThisJvm() {
        return false;
    }

    /** Resident memory of each TaskManager (bytes), for the soak's check against the configured process size. */
    public List<Long> taskManagerRss() {
        return taskManagers().stream().map(ProcessResources::rssBytesOf).toList();
    }

    private List<Long> taskManagers() {
        return pids("taskmanager-.*\\.pid");
    }

    private List<Long> pids(String pattern) {
        Path dir = stack.runDir().resolve("pids");
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            List<Long> out = new ArrayList<>();
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().matches(pattern)) {
                    out.add(Long.parseLong(Files.readString(p).strip()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the stack's pid files in " + dir, e);
        }
    }
}
