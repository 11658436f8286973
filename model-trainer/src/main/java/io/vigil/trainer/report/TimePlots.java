package io.vigil.trainer.report;

import io.vigil.trainer.report.FileSection.Alert;
import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Threshold;
import io.vigil.trainer.report.FileSection.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two time plots of a file: its channels as small multiples on one time axis, and its score with
 * the threshold. Both shade the true anomaly windows and mark the alerts at the same x, so a reader can
 * look from a reading down to its score.
 */
final class TimePlots {

    static final int WIDTH = 1160;
    /** Left of the plot area: room for the value labels. */
    static final int LEFT = 76;
    static final int RIGHT = 24;
    /** Above the plot area: the title and the legend. */
    static final int TOP = 48;
    /** Below the plot area: the time labels. */
    static final int AXIS = 44;
    static final int SCORE_HEIGHT = 160;
    static final int PANEL_GAP = 8;

    static final String[] PALETTE = {"#1f77b4", "#6a3d9a", "#0f8b8d", "#8c564b", "#c2408f", "#4d4d4d", "#8f8a1f",
        "#393b79", "#5b7c2c", "#2b6f97"};
    static final String WINDOW = "#fcdcc0";
    static final String UNSCORED = "#ededed";
    static final String SCORE = "#08519c";
    static final String THRESHOLD = "#e6550d";
    static final String OPEN = "#b2182b";
    static final String RESOLVED = "#1b7837";

    private final FileSection file;
    private final long t0;
    private final long t1;
    private final Scale x;
    private final double[] xs;
    private final List<TimeAxis.Tick> ticks;

    TimePlots(FileSection file) {
        this.file = file;
        long[] t = file.timestamps();
        long first = t[0];
        long last = t[t.length - 1];
        if (last == first) { // one row, or all at one instant: a second either side
            first -= 1000;
            last += 1000;
        }
        this.t0 = first;
        this.t1 = last;
        this.x = new Scale(first, last, LEFT, WIDTH - RIGHT);
        this.xs = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            xs[i] = x.apply(t[i]);
        }
        this.ticks = TimeAxis.ticks(first, last, 10);
    }

    static int panelHeight(int channels) {
        return channels == 1 ? 150 : channels <= 3 ? 100 : channels <= 8 ? 66 : channels <= 12 ? 52 : 40;
    }

    /** The channels, one panel each, sharing the time axis (not called for a file without channels). */
    void series(Svg svg) {
        int k = file.channels().size();
        int ph = panelHeight(k);
        int areaHeight = k * ph + (k - 1) * PANEL_GAP;
        int bottom = TOP + areaHeight;
        int height = bottom + AXIS;
        String title = "Readings (" + k + (k == 1 ? " channel" : " channels") + ")";
        start(svg, "plot series", height, title);
        svg.element("text", title, "class", "title", "x", LEFT, "y", 20);
        List<Legend.Entry> legend = new ArrayList<>();
        legend.add(Legend.Entry.rect("true anomaly", WINDOW));
        addAlertLegend(legend);
        Legend.draw(svg, legend, WIDTH - RIGHT, 20);
        windows(svg, TOP, bottom);
        for (int j = 0; j < k; j++) {
            int top = TOP + j * (ph + PANEL_GAP);
            panel(svg, j, top, top + ph);
        }
        alerts(svg, TOP, bottom);
        timeAxis(svg, bottom);
        svg.close("svg").newline();
    }

    /** The score in [0, 1], the threshold, and where nothing was scored. */
    void score(Svg svg) {
        int bottom = TOP + SCORE_HEIGHT;
        Scale y = new Scale(0, 1, bottom, TOP);
        boolean dynamic = file.threshold() instanceof Threshold.Dynamic;
        start(svg, "plot score", bottom + AXIS, "Anomaly score");
        svg.element("text", "Anomaly score", "class", "title", "x", LEFT, "y", 20);
        List<Legend.Entry> legend = new ArrayList<>();
        legend.add(Legend.Entry.line("score", SCORE, false));
        legend.add(Legend.Entry.line(dynamic ? "dynamic threshold" : "threshold", THRESHOLD, true));
        legend.add(Legend.Entry.rect("true anomaly", WINDOW));
        addAlertLegend(legend);
        double[] scores = file.scores();
        if (hasNaN(scores)) {
            legend.add(Legend.Entry.rect("not scored", UNSCORED));
        }
        Legend.draw(svg, legend, WIDTH - RIGHT, 20);
        windows(svg, TOP, bottom);
        unscored(svg, scores, TOP, bottom);
        frame(svg, TOP, bottom);
        verticalGrid(svg, TOP, bottom);
        List<Double> yt = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
        yAxis(svg, y, yt, List.of("0", "0.25", "0.5", "0.75", "1"));
        svg.empty("path", "class", "line score", "d", line(scores, y).toString(), "stroke", SCORE);
        threshold(svg, y);
        alerts(svg, TOP, bottom);
        timeAxis(svg, bottom);
        svg.close("svg").newline();
    }

    private void start(Svg svg, String cls, int height, String title) {
        svg.open("svg", "xmlns", Svg.NS, "class", cls, "data-file", file.name(), "width", WIDTH, "height", height,
                "viewBox", "0 0 " + WIDTH + " " + height, "role", "img");
        svg.element("title", title + " of " + file.name());
    }

    private void addAlertLegend(List<Legend.Entry> legend) {
        if (file.alertCount(Status.OPEN) > 0) {
            legend.add(Legend.Entry.alert("alert opened", Status.OPEN));
        }
        if (file.alertCount(Status.RESOLVED) > 0) {
            legend.add(Legend.Entry.alert("alert resolved", Status.RESOLVED));
        }
    }

    private void panel(Svg svg, int j, int top, int bottom) {
        double[] v = file.column(j);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        Scale y = Scale.padded(lo, hi, bottom, top);
        String name = file.channels().get(j);
        svg.open("g", "class", "panel", "data-channel", name);
        frame(svg, top, bottom);
        verticalGrid(svg, top, bottom);
        List<Double> yt = y.ticks(bottom - top >= 120 ? 5 : bottom - top >= 80 ? 4 : 3);
        yAxis(svg, y, yt, y.labels(yt));
        svg.empty("path", "class", "line", "d", line(v, y).toString(), "stroke", PALETTE[j % PALETTE.length]);
        svg.element("text", name, "class", "channel", "x", LEFT + 6, "y", top + 14);
        svg.close("g");
    }

    private void frame(Svg svg, int top, int bottom) {
        svg.empty("rect", "class", "frame", "x", LEFT, "y", top, "width", WIDTH - LEFT - RIGHT, "height", bottom - top);
    }

    private Svg.Path line(double[] v, Scale y) {
        Svg.Path p = new Svg.Path();
        for (int r : Downsampler.rows(xs, v, 1.0)) {
            if (r == Downsampler.GAP) {
                p.lift();
            } else {
                p.to(xs[r], y.apply(v[r]));
            }
        }
        return p;
    }

    private void windows(Svg svg, int top, int bottom) {
        for (Window w : file.windows()) {
            if (w.end() < t0 || w.start() > t1) {
                continue;
            }
            double a = x.apply(Math.max(w.start(), t0));
            double b = x.apply(Math.min(w.end(), t1));
            double width = Math.max(1.5, b - a); // a one-row window still shows
            svg.open("rect", "class", "window", "data-start", w.start(), "data-end", w.end(), "x", a, "y", top,
                    "width", width, "height", bottom - top);
            svg.element("title", "true anomaly " + TimeAxis.format(w.start()) + " \u2013 " + TimeAxis.format(w.end())
                    + " UTC (" + TimeAxis.duration(w.end() - w.start()) + ")");
            svg.close("rect");
        }
    }

    private void unscored(Svg svg, double[] scores, int top, int bottom) {
        int i = 0;
        while (i < scores.length) {
            if (!Double.isNaN(scores[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < scores.length && Double.isNaN(scores[i])) {
                i++;
            }
            double a = xs[start];
            double b = i < scores.length ? xs[i] : xs[i - 1];
            if (b - a >= 1) {
                svg.empty("rect", "class", "unscored", "x", a, "y", top, "width", b - a, "height", bottom - top);
            }
        }
    }

    private void verticalGrid(Svg svg, int top, int bottom) {
        StringBuilder d = new StringBuilder();
        for (TimeAxis.Tick t : ticks) {
            String px = Svg.num(x.apply(t.time()));
            d.append('M').append(px).append(',').append(top).append('V').append(bottom);
        }
        if (!d.isEmpty()) {
            svg.empty("path", "class", "grid", "d", d.toString());
        }
    }

    private void yAxis(Svg svg, Scale y, List<Double> values, List<String> labels) {
        StringBuilder d = new StringBuilder();
        for (double v : values) {
            d.append("M").append(LEFT).append(',').append(Svg.num(y.apply(v))).append('H').append(WIDTH - RIGHT);
        }
        svg.empty("path", "class", "grid", "d", d.toString());
        for (int i = 0; i < values.size(); i++) {
            svg.element("text", labels.get(i), "class", "tick y", "x", LEFT - 6, "y", y.apply(values.get(i)) + 4);
        }
    }

    private void timeAxis(Svg svg, int bottom) {
        svg.open("g", "class", "axis time");
        for (TimeAxis.Tick t : ticks) {
            double px = x.apply(t.time());
            svg.empty("path", "class", "tickmark", "d", "M" + Svg.num(px) + "," + bottom + "v5");
            svg.element("text", t.label(), "class", "tick x", "x", px, "y", bottom + 18);
            if (!t.context().isEmpty()) {
                svg.element("text", t.context(), "class", "tick x context", "x", px, "y", bottom + 33);
            }
        }
        svg.element("text", "UTC", "class", "tick utc", "x", 4, "y", bottom + 18);
        svg.close("g");
    }

    private void threshold(Svg svg, Scale y) {
        if (file.threshold() instanceof Threshold.Constant c) {
            double v = clamp(c.value());
            svg.open("g", "class", "threshold constant", "data-value", c.value());
            svg.empty("line", "x1", LEFT, "x2", WIDTH - RIGHT, "y1", y.apply(v), "y2", y.apply(v), "stroke", THRESHOLD);
            svg.element("text", label(c.value()),
                    "class", "threshold-label", "x", WIDTH - RIGHT - 4, "y", y.apply(v) - 5);
            svg.close("g");
        } else if (file.threshold() instanceof Threshold.Dynamic d) {
            double[] t = d.perRow().clone();
            for (int i = 0; i < t.length; i++) {
                t[i] = Double.isNaN(t[i]) ? Double.NaN : clamp(t[i]);
            }
            svg.empty("path", "class", "threshold dynamic", "d", line(t, y).toString(), "stroke", THRESHOLD);
        }
    }

    private static String label(double threshold) {
        return "threshold " + String.format(Locale.ROOT, "%.3f", threshold);
    }

    private void alerts(Svg svg, int top, int bottom) {
        for (Alert a : file.alerts()) {
            if (a.time() < t0 || a.time() > t1) {
                continue;
            }
            double px = x.apply(a.time());
            boolean open = a.status() == Status.OPEN;
            svg.open("g", "class", open ? "alert open" : "alert resolved", "data-time", a.time());
            svg.empty("line", "x1", px, "x2", px, "y1", top - 4, "y2", bottom);
            svg.empty("path", "class", "marker", "d", Legend.marker(a.status(), px, top - 8));
            svg.element("title", (open ? "alert opened " : "alert resolved ") + TimeAxis.format(a.time()) + " UTC"
                    + (a.label().isEmpty() ? "" : ": " + a.label()));
            svg.close("g");
        }
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static boolean hasNaN(double[] v) {
        for (double d : v) {
            if (Double.isNaN(d)) {
                return true;
            }
        }
        return false;
    }
}
