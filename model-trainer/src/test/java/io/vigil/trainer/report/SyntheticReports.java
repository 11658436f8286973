package io.vigil.trainer.report;

import io.vigil.trainer.evaluation.RankingMetrics;
import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Threshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Reports with known contents for the report tests: readings, windows, scores and alerts made up with a fixed seed. */
final class SyntheticReports {

    static final long START = Instant.parse("2024-03-09T10:00:00Z").toEpochMilli();
    static final String VALVE = "valve1/3.csv";
    static final String PUMP = "pump <&> \"2\".csv";
    static final double VALVE_THRESHOLD = 0.8;

    private SyntheticReports() {}

    /** Two files of three channels, two windows each; the valve has a constant threshold, the pump a dynamic one. */
    static Report twoFiles() {
        FileSection valve = file(
                VALVE,
                List.of("Accelerometer1RMS", "Pressure", "Temperature"),
                1200,
                1000L,
                40,
                new int[][] {{300, 420}, {800, 900}},
                false,
                11);
        FileSection pump = file(
                PUMP,
                List.of("current", "flow", "vibration"),
                900,
                5 * 60_000L,
                64,
                new int[][] {{200, 260}, {610, 700}},
                true,
                12);
        return report("Synthetic evaluation", List.of(valve, pump));
    }

    /** The files a person looks at in the screenshot: like SKAB (8 channels) and NAB (one long channel). */
    static Report corpus() {
        FileSection skab = file(
                "valve1/3.csv",
                List.of(
                        "Accelerometer1RMS",
                        "Accelerometer2RMS",
                        "Current",
                        "Pressure",
                        "Temperature",
                        "Thermocouple",
                        "Voltage",
                        "Volume Flow RateRMS"),
                1100,
                1000L,
                48,
                new int[][] {{420, 610}, {900, 980}},
                false,
                21);
        FileSection nab = file(
                "realKnownCause/machine_temperature_system_failure.csv",
                List.of("value"),
                20_000,
                5 * 60_000L,
                500,
                new int[][] {{3_000, 3_400}, {11_000, 11_600}, {16_200, 16_900}},
                true,
                22);
        FileSection odd = file(
                PUMP,
                List.of("current", "flow", "vibration"),
                900,
                5 * 60_000L,
                64,
                new int[][] {{200, 260}, {610, 700}},
                false,
                23);
        return report("Corpus benchmark (synthetic)", List.of(skab, nab, odd));
    }

    private static Report report(String title, List<FileSection> files) {
        List<Double> scores = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (FileSection f : files) {
            boolean[] l = labels(f);
            for (int i = 0; i < f.rows(); i++) {
                if (!Double.isNaN(f.scores()[i])) {
                    scores.add(f.scores()[i]);
                    labels.add(l[i]);
                }
            }
        }
        double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] l = new boolean[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        RankingMetrics ranking = RankingMetrics.of(s, l);
        return new Report(
                title,
                "model synthetic/20240309-100000 \u00b7 2024-03-09 12:00 UTC \u00b7 vigil-trainer evaluate"
                        + " --bundle bundle history/*.csv",
                List.of(
                        Metric.ratio("F1", 0.8123),
                        Metric.percent("FAR", 0.123),
                        Metric.number("NAB standard", 64.2, 1),
                        Metric.ratio("ROC AUC", ranking.rocAuc()),
                        Metric.count("events", s.length)),
                files,
                Curves.of(ranking),
                List.of("Scores are NaN (not scored) during each file's warm-up."));
    }

    static boolean[] labels(FileSection f) {
        boolean[] l = new boolean[f.rows()];
        for (FileSection.Window w : f.windows()) {
            for (int i = 0; i < l.length; i++) {
                l[i] |= f.timestamps()[i] >= w.start() && f.timestamps()[i] <= w.end();
            }
        }
        return l;
    }

    /**
     * A file whose channels are noisy sines that shift inside the windows; its score rises inside them.
     * Alerts: one opens 5 rows into each window and resolves 10 rows after it, and one false alarm opens
     * and resolves halfway to the first window.
     */
    static FileSection file(
            String name,
            List<String> channels,
            int rows,
            long step,
            int warmup,
            int[][] windows,
            boolean dynamic,
            long seed) {
        Random random = new Random(seed);
        long[] t = new long[rows];
        double[][] v = new double[rows][channels.size()];
        double[] score = new double[rows];
        boolean[] in = new boolean[rows];
        for (int[] w : windows) {
            Arrays.fill(in, w[0], w[1] + 1, true);
        }
        double level = 0;
        double smooth = 0.1;
        int period = Math.max(60, rows / 18);
        for (int i = 0; i < rows; i++) {
            t[i] = START + i * step;
            level = 0.98 * level + 0.3 * random.nextGaussian(); // a slow drift, as real sensors have
            for (int j = 0; j < channels.size(); j++) {
                double base = 10 * (j + 1)
                        + 3 * Math.sin(2 * Math.PI * i / (period + 17 * j))
                        + level
                        + random.nextGaussian() * 0.4;
                v[i][j] = in[i] ? base + 4 + 2 * random.nextGaussian() : base;
            }
            // normal rows score low with a long tail (some false alarms), anomalous ones mostly high; smoothed
            // like Vigil's errors (EWMA)
            double raw =
                    in[i] ? 0.45 + 0.5 * Math.sqrt(random.nextDouble()) : 0.08 + 0.6 * Math.pow(random.nextDouble(), 8);
            smooth += 0.3 * (raw - smooth);
            score[i] = i < warmup ? Double.NaN : Math.min(1, smooth);
        }
        FileSection.Builder b =
                FileSection.builder(name).readings(t, channels, v).scores(score);
        if (dynamic) {
            double[] th = new double[rows];
            for (int i = 0; i < rows; i++) {
                th[i] = i < warmup ? Double.NaN : 0.7 + 0.08 * Math.sin(2 * Math.PI * i / (rows / 3.0));
            }
            b.threshold(Threshold.dynamic(th));
        } else {
            b.threshold(Threshold.constant(VALVE_THRESHOLD));
        }
        for (int[] w : windows) {
            b.window(t[w[0]], t[w[1]]);
            b.alert(t[w[0] + 5], Status.OPEN, "CRITICAL " + channels.get(0) + " score 0.97");
            b.alert(t[Math.min(rows - 1, w[1] + 10)], Status.RESOLVED, "after 40 anomalous events");
        }
        int fa = windows[0][0] / 2;
        b.alert(t[fa], Status.OPEN, "LOW " + channels.get(channels.size() - 1));
        b.alert(t[fa + 12], Status.RESOLVED, "after 3 anomalous events");
        return b.metric(Metric.ratio("F1", 0.5 + seed % 10 / 20.0))
                .metric(Metric.percent("FAR", 0.01 * (seed % 7)))
                .metric(Metric.ratio("precision", 0.9))
                .build();
    }
}
