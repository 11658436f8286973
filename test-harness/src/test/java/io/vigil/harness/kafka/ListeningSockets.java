package io.vigil.harness.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the kernel's table of listening TCP sockets, to check what a server really bound to. */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Local addresses (as dotted IPv4, or the kernel's hex for other IPv6) listening on {@code port}. */
    public static List<String> addressesListeningOn(int port) {
        List<String> out = new ArrayList<>();
        out.addAll(read(Path.of("/proc/net/tcp"), port));
        out.addAll(read(Path.of("/proc/net/tcp6"), port));
        return out;
    }

    private static List<String> read(Path table, int port) {
        if (!Files.exists(table)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port && f[3].equals(LISTEN)) {
                    out.add(decode(local[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
    private static String decode(String hex) {
        if (hex.length() == 8) {
            return ipv4(hex);
        }
        // IPv4-mapped IPv6 (::ffff:a.b.c.d) is how a dual-stack JVM socket bound to an IPv4 address shows up.
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return ipv4(hex.substring(24));
        }
        return hex;
    }

    private static String ipv4(String hex) {
        int v = (int) Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >>> 24) & 0xff);
    }
}
