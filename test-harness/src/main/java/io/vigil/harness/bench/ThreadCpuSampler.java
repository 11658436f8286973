package io.vigil.harness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Where a run's CPU went, by thread: samples every live thread's CPU time a few times a second while a
 * job runs and, at the end, sums each thread's CPU since the start into {@link ThreadRoles}. A thread
 * that ends between two samples loses at most one interval of CPU; what no Java thread shows (GC, JIT)
 * is the process CPU minus the sum. Also keeps the largest RSS seen.
 */
public final class ThreadCpuSampler implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 200;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> baseline = new HashMap<>();
    private final Map<Long, Long> latest = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private final LongSupplier rss;
    private long peakRss;

    private ThreadCpuSampler(LongSupplier rss) {
        this.rss = rss;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        sample(true);
        sampler = new Thread(this::loop, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling now. */
    public static ThreadCpuSampler start() {
        return new ThreadCpuSampler(ProcessResources::rssBytes);
    }

    /** Starts sampling now; the peak resident memory is of what {@code rss} measures. */
    public static ThreadCpuSampler start(LongSupplier rss) {
        return new ThreadCpuSampler(rss);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample(false);
        }
    }

    private synchronized void sample(boolean first) {
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) {
                continue; // the thread ended
            }
            if (!names.containsKey(id)) {
                var info = threads.getThreadInfo(id);
                if (info == null) {
                    continue;
                }
                names.put(id, info.getThreadName());
                // a thread that started after the run began has used all its CPU within the run
                baseline.put(id, first ? cpu : 0L);
            }
            latest.put(id, cpu);
        }
        peakRss = Math.max(peakRss, rss.getAsLong());
    }

    /** Takes a last sample and stops; returns CPU seconds per thread role since the start. */
    public synchronized Map<String, Double> stop() {
        running = false;
        sampler.interrupt();
        sample(false);
        Map<String, Double> byRole = new TreeMap<>();
        for (Map.Entry<Long, Long> e : latest.entrySet()) {
            double seconds = (e.getValue() - baseline.getOrDefault(e.getKey(), 0L)) / 1e9;
            if (seconds > 0) {
                byRole.merge(ThreadRoles.of(names.get(e.getKey())), seconds, Double::sum);
            }
        }
        return byRole;
    }

    /** CPU seconds per thread name since the start (after {@link #stop}), largest first; for diagnosis. */
    public synchronized Map<String, Double> byThreadName(int top) {
        Map<String, Double> byName = new HashMap<>();
        latest.forEach(
                (id, cpu) -> byName.merge(names.get(id), (cpu - baseline.getOrDefault(id, 0L)) / 1e9, Double::sum));
        Map<String, Double> out = new LinkedHashMap<>();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The largest resident set size sampled, bytes. */
    public synchronized long peakRssBytes() {
        return peakRss;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
