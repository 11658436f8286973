package io.vigil.harness.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a log file gets after the watch starts, read as they are written: a fault test acts the moment
 * a process logs that it has reached the point the test aims at (a checkpoint triggered, a model swapped).
 * Each call reads on from where the last one stopped; a line not yet ended is left for the next call.
 */
final class LogWatch {

    private final Path file;
    private long offset;

    /** Watches {@code file} from its present end (from its start if it does not exist yet). */
    LogWatch(Path file) {
        this.file = file;
        try {
            this.offset = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first line written since the last call that matches {@code pattern}, its match; the lines read
     * before it, and it, are consumed, the rest stays for the next call. Empty when no new line matches yet.
     */
    Optional<Matcher> next(Pattern pattern) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            if (end <= offset) {
                return Optional.empty();
            }
            byte[] bytes = new byte[(int) Math.min(end - offset, 8 << 20)];
            in.seek(offset);
            in.readFully(bytes);
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    offset += start;
                    return Optional.of(m);
                }
            }
            offset += start;
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
