package io.vigil.trainer;

import io.vigil.scoring.FeatureSpec;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seasonal-plus-noise multichannel series with known answers, for the trainer's tests. */
public final class SyntheticData {

    public static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    public static final long STEP = 1000;
    public static final int PERIOD = 24;
    public static final double NOISE = 0.05;

    private SyntheticData() {}

    public static FeatureSpec features(int channels) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < channels; j++) {
            names.add("ch" + j);
        }
        return new FeatureSpec(names);
    }

    /** Channel j: offset 10j, amplitude 1 + j/2, phase j, period 24 steps, Gaussian noise of sd 0.05 (x amplitude). */
    public static double[][] values(int rows, int channels, long seed, int startStep) {
        Random r = new Random(seed);
        double[][] v = new double[rows][channels];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < channels; j++) {
                double amp = 1 + j / 2.0;
                v[t][j] = 10 * j
                        + amp * Math.sin(2 * Math.PI * (t + startStep) / PERIOD + j)
                        + NOISE * amp * r.nextGaussian();
            }
        }
        return v;
    }

    public static long[] timestamps(int rows, int startStep) {
        long[] ts = new long[rows];
        for (int t = 0; t < rows; t++) {
            ts[t] = START + (t + startStep) * STEP;
        }
        return ts;
    }

    public static EntitySeries series(String entity, int rows, int channels, long seed, boolean[] labels) {
        return new EntitySeries(entity, timestamps(rows, 0), values(rows, channels, seed, 0), labels, "synthetic");
    }

    /** {@code entities} unlabelled entities e0, e1, ... of {@code rows} rows each. */
    public static History history(int entities, int rows, int channels, long seed) {
        List<EntitySeries> s = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            s.add(series("e" + e, rows, channels, seed + e, null));
        }
        return new History(features(channels), s, List.of("synthetic"));
    }

    /** Writes a series as SKAB-like CSV: {@code datetime;ch0;...;anomaly;changepoint}, local times. */
    public static void writeSkabCsv(Path file, EntitySeries s) throws IOException {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        StringBuilder out = new StringBuilder("datetime");
        int c = s.values()[0].length;
        for (int j = 0; j < c; j++) {
            out.append(";ch").append(j);
        }
        out.append(";anomaly;changepoint\n");
        for (int i = 0; i < s.size(); i++) {
            out.append(LocalDateTime.ofInstant(Instant.ofEpochMilli(s.timestamps()[i]), ZoneOffset.UTC)
                    .format(f));
            for (double v : s.values()[i]) {
                out.append(';').append(v);
            }
            boolean a = s.labels() != null && s.labels()[i];
            out.append(';').append(a ? "1.0" : "0.0").append(';').append("0.0").append('\n');
        }
        Files.writeString(file, out);
    }
}
