package io.vigil.harness.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which of the job's pipelines a benchmark measures, on a workload of its own: generated sensor readings
 * (the default) or generated card transactions ({@code benchmark --stream transactions}).
 */
public enum BenchmarkStream {
    /** Generated readings of {@code keys} sensors, the sensor model. */
    SENSORS("sensors"),
    /** Generated transactions of {@code keys} accounts over {@code days}, the transaction model. */
    TRANSACTIONS("transactions");

    private final String cliName;

    BenchmarkStream(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The variants over this stream's workload, in the order runs are interleaved by default. */
    public List<JobVariant> variants() {
        return Arrays.stream(JobVariant.values())
                .filter(v -> v.stream() == this)
                .toList();
    }

    /** The variant every other of this stream is compared with: the pipeline without its features and models. */
    public JobVariant passThrough() {
        return this == TRANSACTIONS ? JobVariant.TX_PASSTHROUGH : JobVariant.PASSTHROUGH;
    }

    /** Parses a command-line name ({@code sensors}, {@code transactions}). */
    public static BenchmarkStream parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (BenchmarkStream s : values()) {
            if (s.cliName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--stream must be "
                + Arrays.stream(values()).map(BenchmarkStream::cliName).collect(Collectors.joining(" or "))
                + ", got '" + name + "'");
    }
}
