package io.vigil.harness.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gives a latency run's load (the thread that paces and sends the readings, its Kafka producer's I/O
 * thread, and the Kafka broker) CPU priority over the job under test, for as long as it is open. On a
 * machine whose cores the load generator shares with the job, a generator that gets no more CPU than
 * the job falls behind its schedule when the job is busy and then sends its backlog in a burst; the
 * burst's readings queue in Kafka and their wait is measured as the job's latency. With the load at a
 * higher priority the offered rate is the asked one, and what the job cannot do at it shows in its own
 * latency. Linux scheduling priority is per thread; raising it (a negative nice value) takes root or
 * CAP_SYS_NICE. Without them the run goes on at equal priority and {@link #describe()} says so.
 */
final class LoadPriority implements AutoCloseable {

    /** The nice value the load gets: each step is about 1.25x the CPU share of the step above. */
    static final int NICE = -5;

    private final Map<Path, Integer> previous = new LinkedHashMap<>();
    private final String description;

    private LoadPriority(List<Path> tasks) {
        for (Path task : tasks) {
            int before = nice(task);
            if (before != Integer.MIN_VALUE && before != NICE) {
                previous.put(task, before);
            }
        }
        String error = renice(List.copyOf(previous.keySet()), NICE);
        // renice fails too when a thread ended in the meantime: what counts is which threads have the value now
        previous.keySet().removeIf(task -> nice(task) != NICE);
        this.description = previous.size() > 0 || error == null
                ? String.format(
                        Locale.ROOT,
                        "nice %d for %d threads of the load generator and the broker",
                        NICE,
                        previous.size())
                : "equal to the job's (raising it failed: " + error + ")";
    }

    /**
     * Raises the calling thread, the threads of this JVM whose names start with one of {@code threadPrefixes},
     * and every thread of the processes {@code pids}.
     */
    static LoadPriority raise(List<Long> pids, List<String> threadPrefixes) {
        List<Path> tasks = new ArrayList<>();
        Path self = currentThread();
        if (self != null) {
            tasks.add(self);
        }
        for (Path task : ProcessResources.threadsOf(ProcessHandle.current().pid())) {
            String name = ProcessResources.threadName(task);
            if (threadPrefixes.stream().anyMatch(p -> name.startsWith(shortName(p))) && !tasks.contains(task)) {
                tasks.add(task);
            }
        }
        for (long pid : pids) {
            tasks.addAll(ProcessResources.threadsOf(pid));
        }
        return new LoadPriority(tasks);
    }

    /** What was done, for the report. */
    String describe() {
        return description;
    }

    /** Puts every thread it raised back to its earlier priority (threads gone since are skipped). */
    @Override
    public void close() {
        Map<Integer, List<Path>> byNice = new TreeMap<>();
        previous.forEach((task, nice) -> {
            if (Files.exists(task)) {
                byNice.computeIfAbsent(nice, n -> new ArrayList<>()).add(task);
            }
        });
        byNice.forEach((nice, tasks) -> renice(tasks, nice));
        previous.clear();
    }

    /** Linux keeps 15 bytes of a thread's name in {@code comm}. */
    private static String shortName(String prefix) {
        return prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
    }

    private static Path currentThread() {
        try {
            // /proc/thread-self links to /proc/<pid>/task/<tid> of the calling thread
            return Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The thread's nice value (field 19 of its stat), or {@link Integer#MIN_VALUE} if it is gone. */
    static int nice(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
            return Integer.parseInt(ProcessResources.statFields(stat)[16]);
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** Sets the threads' nice value with one renice(1); null when done (or nothing to do), else why not. */
    private static String renice(List<Path> tasks, int nice) {
        if (tasks.isEmpty()) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        tasks.forEach(t -> command.add(t.getFileName().toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return null;
            }
            return output.lines()
                    .filter(l -> !l.contains("old priority"))
                    .findFirst()
                    .orElse("renice failed");
        } catch (IOException e) {
            return "renice: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
