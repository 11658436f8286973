package io.vigil.harness.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of this JVM, which in the MiniCluster benchmark holds the Kafka broker,
 * the Flink MiniCluster and the benchmark's own consumer together.
 */
public final class ProcessResources {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/stat");
    /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Vigil runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessResources() {}

    /** CPU time the whole process has used, all threads, user + system (nanoseconds). */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time all processes on the machine have used (user, nice, system, irq, softirq from the first line
     * of {@code /proc/stat}), nanoseconds; -1 where /proc is not available. Minus {@link #cpuNanos} over the
     * same interval, it is what other processes took: on a shared machine, the noise.
     */
    public static long machineBusyNanos() {
        try {
            String cpu = Files.readAllLines(STAT).get(0);
            return parseBusyTicks(cpu) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code cpu  user nice system idle iowait irq softirq ...} -> user + nice + system + irq + softirq. */
    static long parseBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
        }
        return Long.parseLong(f[1])
                + Long.parseLong(f[2])
                + Long.parseLong(f[3])
                + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
    }

    /** Resident set size now (VmRSS), in bytes; -1 where /proc is not available. */
    public static long rssBytes() {
        return statusKilobytes(STATUS, "VmRSS:") * 1024;
    }

    /** Resident set size of process {@code pid} now, in bytes; -1 if it is gone or /proc is not available. */
    public static long rssBytesOf(long pid) {
        long kb = statusKilobytes(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    /** CPU time (user + system) process {@code pid} has used, nanoseconds; -1 if it is gone. */
    public static long cpuNanosOf(long pid) {
        try {
            return parseStatCpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")))
                    * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of each live thread of process {@code pid}, nanoseconds by thread id (as
     * {@code "<tid> <name>"}, the name as Linux keeps it: the first 15 characters of the Java thread's
     * name, or the VM's own, e.g. {@code "C2 CompilerThre"}); empty if the process is gone.
     */
    public static java.util.Map<String, Long> threadCpuNanosOf(long pid) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (Path t : threadsOf(pid)) {
            try {
                long ticks = parseStatCpuTicks(Files.readString(t.resolve("stat")));
                out.put(t.getFileName() + " " + threadName(t), ticks * (1_000_000_000L / TICKS_PER_SECOND));
            } catch (IOException | RuntimeException e) {
                // the thread ended while listed
            }
        }
        return out;
    }

    /** The {@code /proc/<pid>/task/<tid>} directory of each live thread of process {@code pid}; empty if it is gone. */
    static java.util.List<Path> threadsOf(long pid) {
        try (var dirs = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return dirs.toList();
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** A thread's name as Linux keeps it (its {@code comm}: the first 15 characters); "" if it is gone. */
    static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm"), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The fields of a {@code /proc/<pid>/stat} line from field 3 (the state) on: element {@code i} is field
     * {@code i + 3}. The name in field 2 may hold spaces and parentheses, so it is cut at the last ')'.
     */
    static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. */
    static long parseStatCpuTicks(String stat) {
        String[] f = statFields(stat);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The {@code kB} value of a line of a {@code /proc/.../status} file, or -1 when unavailable. */
    static long statusKilobytes(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    return parseKilobytes(line.substring(field.length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report unknown
        }
        return -1;
    }

    /** {@code "  123456 kB"} -> 123456. */
    static long parseKilobytes(String value) {
        String v = value.trim();
        if (v.endsWith("kB")) {
            v = v.substring(0, v.length() - 2).trim();
        }
        return Long.parseLong(v);
    }
}
