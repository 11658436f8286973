package io.vigil.harness.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.function.Predicate;

/** A thread dump of this JVM as text, for a run that stalls: what the job's threads are doing. */
final class ThreadDump {

    private static final int MAX_FRAMES = 40;

    private ThreadDump() {}

    static String of(Predicate<ThreadInfo> which) {
        StringBuilder s = new StringBuilder("thread dump:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            if (!which.test(t)) {
                continue;
            }
            s.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
            if (t.getLockName() != null) {
                s.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                s.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            s.append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                s.append("    at ").append(frames[i]).append('\n');
            }
            if (frames.length > MAX_FRAMES) {
                s.append("    ...\n");
            }
        }
        return s.toString();
    }
}
