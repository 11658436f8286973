package io.vigil.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.trainer.evaluation.RankingMetrics;
import io.vigil.trainer.report.FileSection.Alert;
import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Threshold;
import io.vigil.trainer.report.FileSection.Window;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as Apache ECharts options (https://echarts.apache.org/en/option.html), which the
 * page hands to {@code echarts.init(...).setOption(...)}: ECharts draws, samples long series (LTTB),
 * zooms (wheel, drag, the slider under the chart) and shows values on hover. This class only says what
 * to draw: per file, its channels and its score as stacked panels on one zoomable time axis, with the
 * true anomaly windows shaded and the alerts marked in every panel; and the overall ROC and PR curves.
 */
final class Charts {

    static final String[] PALETTE = {
        "#1f77b4", "#6a3d9a", "#0f8b8d", "#8c564b", "#c2408f", "#4d4d4d", "#8f8a1f", "#393b79", "#5b7c2c", "#2b6f97"
    };
    static final String WINDOW = "#fcdcc0";
    static final String UNSCORED = "#e3e3e3";
    static final String SCORE = "#08519c";
    static final String THRESHOLD = "#e6550d";
    static final String OPEN = "#b2182b";
    static final String RESOLVED = "#1b7837";
    static final String ROC = "#08519c";
    static final String PR = "#6a3d9a";
    static final String CHANCE = "#969696";

    /** Left of the plot areas: room for the value labels. */
    static final int LEFT = 76;

    static final int RIGHT = 24;
    /** Above the first panel: the legend and the first panel's name. */
    static final int TOP = 56;

    static final int PANEL_GAP = 30;
    static final int SCORE_HEIGHT = 160;
    /** Below the last panel: its time labels and the zoom slider. */
    static final int BOTTOM = 76;

    static final int CURVE_SIZE = 360;
    static final int CURVE_LEFT = 64;
    static final int CURVE_GAP = 110;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {}

    /** Height of one channel's panel: smaller the more channels a file has. */
    static int panelHeight(int channels) {
        return channels == 1 ? 150 : channels <= 3 ? 100 : channels <= 8 ? 66 : channels <= 12 ? 52 : 40;
    }

    /** Pixel height of a file's chart. */
    static int fileChartHeight(FileSection f) {
        int k = f.channels().size();
        return TOP + k * (panelHeight(k) + PANEL_GAP) + SCORE_HEIGHT + BOTTOM;
    }

    /** A file's chart: one panel per channel, then the score with its threshold; one time axis, zoomable. */
    static ObjectNode file(FileSection f) {
        int k = f.channels().size();
        int panels = k + 1;
        ObjectNode o = base();
        o.put("useUTC", true);
        ObjectNode tooltip = o.putObject("tooltip").put("trigger", "axis").put("confine", true);
        tooltip.putObject("axisPointer").put("type", "line");
        o.putObject("axisPointer").putArray("link").addObject().put("xAxisIndex", "all");
        ArrayNode legend = o.putObject("legend").put("top", 0).put("left", LEFT).putArray("data");
        o.putObject("dataset").set("source", source(f));
        ArrayNode grids = o.putArray("grid");
        ArrayNode xs = o.putArray("xAxis");
        ArrayNode ys = o.putArray("yAxis");
        ArrayNode series = o.putArray("series");
        long[] t = f.timestamps();
        long first = t[0];
        long last = t[t.length - 1] == first ? first + 1000 : t[t.length - 1];
        int ph = panelHeight(k);
        int top = TOP;
        for (int p = 0; p < panels; p++) {
            boolean score = p == k;
            int height = score ? SCORE_HEIGHT : ph;
            grids.addObject()
                    .put("left", LEFT)
                    .put("right", RIGHT)
                    .put("top", top)
                    .put("height", height);
            top += height + PANEL_GAP;
            ObjectNode x = xs.addObject()
                    .put("type", "time")
                    .put("gridIndex", p)
                    .put("min", first)
                    .put("max", last);
            x.putObject("axisLabel").put("show", score).put("hideOverlap", true);
            x.putObject("splitLine").put("show", true);
            ObjectNode y = ys.addObject()
                    .put("type", "value")
                    .put("gridIndex", p)
                    .put("name", score ? "anomaly score" : f.channels().get(p))
                    .put("nameLocation", "end")
                    .put("nameGap", 8);
            y.putObject("nameTextStyle").put("align", "left").put("fontWeight", "bold");
            if (score) {
                y.put("min", 0).put("max", 1).put("interval", 0.25);
            } else {
                y.put("scale", true).put("splitNumber", ph >= 120 ? 5 : ph >= 80 ? 4 : 3);
            }
            ObjectNode s = line(
                    series,
                    score ? "score" : f.channels().get(p),
                    p,
                    score ? "score" : "c" + p,
                    score ? SCORE : PALETTE[p % PALETTE.length],
                    score ? 1.4 : 1.2);
            legend.add(s.get("name").asText());
            ArrayNode areas = windows(s, f);
            ArrayNode lines = alerts(s, f);
            if (score) {
                unscored(areas, f);
                threshold(series, lines, legend, f, p);
            }
        }
        ArrayNode all = JSON.createArrayNode();
        for (int p = 0; p < panels; p++) {
            all.add(p);
        }
        ArrayNode zoom = o.putArray("dataZoom");
        zoom.addObject().put("type", "inside").put("filterMode", "none").set("xAxisIndex", all);
        zoom.addObject()
                .put("type", "slider")
                .put("filterMode", "none")
                .put("bottom", 8)
                .put("height", 20)
                .put("left", LEFT)
                .put("right", RIGHT)
                .set("xAxisIndex", all.deepCopy());
        return o;
    }

    /** The overall ROC and precision-recall curves side by side, each with the line of a random detector. */
    static ObjectNode curves(Curves c) {
        return curves(c, List.of());
    }

    /** As {@link #curves(Curves)}, with other scorers' curves drawn thinner beside them, named in the legends. */
    static ObjectNode curves(Curves c, List<Curves.Named> others) {
        ObjectNode o = base();
        o.putObject("tooltip").put("trigger", "item");
        ArrayNode titles = o.putArray("title");
        ArrayNode grids = o.putArray("grid");
        ArrayNode xs = o.putArray("xAxis");
        ArrayNode ys = o.putArray("yAxis");
        ArrayNode legends = o.putArray("legend");
        ArrayNode series = o.putArray("series");
        String[][] names = {
            {"ROC curve", "false positive rate", "true positive rate"},
            {"Precision-recall curve", "recall", "precision"}
        };
        for (int g = 0; g < 2; g++) {
            int left = CURVE_LEFT + g * (CURVE_SIZE + CURVE_GAP);
            titles.addObject().put("text", names[g][0]).put("left", left).put("top", 0);
            grids.addObject()
                    .put("left", left)
                    .put("top", 64)
                    .put("width", CURVE_SIZE)
                    .put("height", CURVE_SIZE);
            unitAxis(xs, g, names[g][1], 28);
            unitAxis(ys, g, names[g][2], 40);
        }
        String roc = "ROC, AUC " + fmt(c.rocAuc());
        curve(series, roc, 0, c.roc(), false, ROC);
        dashed(series, "chance, AUC 0.5", 0, 0, 0, 1, 1);
        String pr = "PR, AUC " + fmt(c.prAuc());
        curve(series, pr, 1, c.pr(), true, PR);
        ArrayNode prLegend = JSON.createArrayNode().add(pr);
        if (Double.isFinite(c.positiveRate())) {
            String chance = "chance, precision " + fmt(c.positiveRate());
            dashed(series, chance, 1, 0, c.positiveRate(), 1, c.positiveRate());
            prLegend.add(chance);
        }
        ArrayNode rocLegend = JSON.createArrayNode().add(roc).add("chance, AUC 0.5");
        for (int i = 0; i < others.size(); i++) {
            Curves.Named other = others.get(i);
            String color = PALETTE[(i + 2) % PALETTE.length];
            String otherRoc = other.name() + ", AUC " + fmt(other.curves().rocAuc());
            curve(series, otherRoc, 0, other.curves().roc(), false, color);
            rocLegend.add(otherRoc);
            String otherPr = other.name() + ", AUC " + fmt(other.curves().prAuc());
            curve(series, otherPr, 1, other.curves().pr(), true, color);
            prLegend.add(otherPr);
        }
        legends.addObject().put("top", 30).put("left", CURVE_LEFT).set("data", rocLegend);
        legends.addObject()
                .put("top", 30)
                .put("left", CURVE_LEFT + CURVE_SIZE + CURVE_GAP)
                .set("data", prLegend);
        return o;
    }

    /** A curve panel's axis from 0 to 1 (a rate), named in the middle, {@code gap} pixels from the panel. */
    private static void unitAxis(ArrayNode axes, int grid, String name, int gap) {
        axes.addObject()
                .put("type", "value")
                .put("gridIndex", grid)
                .put("min", 0)
                .put("max", 1)
                .put("name", name)
                .put("nameLocation", "middle")
                .put("nameGap", gap);
    }

    /** Pixel width and height of the curves' chart. */
    static int curvesWidth() {
        return 2 * CURVE_LEFT + 2 * CURVE_SIZE + CURVE_GAP;
    }

    static int curvesHeight() {
        return 64 + CURVE_SIZE + 48;
    }

    private static ObjectNode base() {
        ObjectNode o = JSON.createObjectNode();
        o.put("animation", false);
        o.putObject("textStyle")
                .put("fontFamily", "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif");
        return o;
    }

    /** The rows as columns: t (epoch ms), c0..c{k-1} (the channels), score, and the threshold if dynamic. */
    private static ObjectNode source(FileSection f) {
        ObjectNode source = JSON.createObjectNode();
        ArrayNode t = source.putArray("t");
        for (long ts : f.timestamps()) {
            t.add(ts);
        }
        for (int j = 0; j < f.channels().size(); j++) {
            numbers(source.putArray("c" + j), f.column(j));
        }
        numbers(source.putArray("score"), f.scores());
        if (f.threshold() instanceof Threshold.Dynamic d) {
            numbers(source.putArray("threshold"), d.perRow());
        }
        return source;
    }

    /** Numbers with at most 7 significant digits (plenty for a chart, and a third of the file); NaN as null. */
    private static void numbers(ArrayNode out, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                out.add(Double.parseDouble(String.format(Locale.ROOT, "%.7g", v)));
            } else {
                out.addNull();
            }
        }
    }

    private static ObjectNode line(
            ArrayNode series, String name, int panel, String column, String color, double width) {
        ObjectNode s = series.addObject()
                .put("type", "line")
                .put("name", name)
                .put("xAxisIndex", panel)
                .put("yAxisIndex", panel)
                .put("datasetIndex", 0)
                .put("showSymbol", false)
                .put("sampling", "lttb")
                .put("connectNulls", false)
                .put("color", color);
        s.putObject("encode").put("x", "t").put("y", column);
        s.putObject("lineStyle").put("width", width);
        return s;
    }

    /** Shades the true anomaly windows in this series' panel; returns the areas, for more. */
    private static ArrayNode windows(ObjectNode series, FileSection f) {
        ObjectNode area = series.putObject("markArea").put("silent", false);
        area.putObject("itemStyle").put("color", WINDOW);
        area.putObject("label").put("show", false); // the name (when, how long) shows on hover
        area.putObject("emphasis").putObject("label").put("show", true).put("position", "insideTop");
        ArrayNode data = area.putArray("data");
        for (Window w : f.windows()) {
            ArrayNode pair = data.addArray();
            pair.addObject()
                    .put(
                            "name",
                            "true anomaly " + Times.format(w.start()) + " \u2013 " + Times.format(w.end()) + " UTC ("
                                    + Times.duration(w.end() - w.start()) + ")")
                    .put("xAxis", w.start());
            pair.addObject().put("xAxis", w.end());
        }
        return data;
    }

    /** Grey where nothing was scored (the score is NaN: the window filling, the warm-up). */
    private static void unscored(ArrayNode areas, FileSection f) {
        double[] s = f.scores();
        long[] t = f.timestamps();
        int i = 0;
        while (i < s.length) {
            if (!Double.isNaN(s[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < s.length && Double.isNaN(s[i])) {
                i++;
            }
            ArrayNode pair = areas.addArray();
            pair.addObject()
                    .put("name", "not scored")
                    .put("xAxis", t[start])
                    .putObject("itemStyle")
                    .put("color", UNSCORED);
            pair.addObject().put("xAxis", t[i < s.length ? i : i - 1]);
        }
    }

    /** A vertical line per alert record in this series' panel (opened: solid red; resolved: dashed green). */
    private static ArrayNode alerts(ObjectNode series, FileSection f) {
        ObjectNode marks = series.putObject("markLine").put("silent", false).put("animation", false);
        marks.putArray("symbol").add("none").add("none");
        marks.putObject("label").put("show", false);
        ArrayNode data = marks.putArray("data");
        for (Alert a : f.alerts()) {
            boolean open = a.status() == Status.OPEN;
            ObjectNode mark = data.addObject()
                    .put(
                            "name",
                            (open ? "alert opened " : "alert resolved ") + Times.format(a.time()) + " UTC"
                                    + (a.label().isEmpty() ? "" : ": " + a.label()))
                    .put("xAxis", a.time());
            mark.putObject("lineStyle")
                    .put("color", open ? OPEN : RESOLVED)
                    .put("type", open ? "solid" : "dashed")
                    .put("width", 1.4);
            ObjectNode hover = mark.putObject("emphasis")
                    .putObject("label")
                    .put("show", true)
                    .put("formatter", "{b}");
            hover.put("position", "insideEndTop");
        }
        return data;
    }

    /** The threshold: a horizontal line when constant, a line of its own when it moves (dynamic, per row). */
    private static void threshold(ArrayNode series, ArrayNode marks, ArrayNode legend, FileSection f, int panel) {
        if (f.threshold() instanceof Threshold.Constant c) {
            double v = Math.max(0, Math.min(1, c.value()));
            ObjectNode mark = marks.addObject().put("name", label(c.value())).put("yAxis", v);
            mark.putObject("lineStyle")
                    .put("color", THRESHOLD)
                    .put("type", "dashed")
                    .put("width", 1.6);
            mark.putObject("label")
                    .put("show", true)
                    .put("formatter", "{b}")
                    .put("position", "insideEndTop")
                    .put("color", THRESHOLD);
        } else {
            ObjectNode s = line(series, "dynamic threshold", panel, "threshold", THRESHOLD, 1.6);
            ((ObjectNode) s.get("lineStyle")).put("type", "dashed");
            legend.add("dynamic threshold");
        }
    }

    private static void curve(
            ArrayNode series,
            String name,
            int grid,
            List<RankingMetrics.Point> points,
            boolean fromRecallZero,
            String color) {
        ObjectNode s = curveLine(series, name, grid, color, 2.2);
        ArrayNode data = s.putArray("data");
        if (fromRecallZero && points.get(0).x() > 0) {
            data.addArray().add(0.0).add(points.get(0).y());
        }
        for (RankingMetrics.Point p : points) {
            data.addArray().add(p.x()).add(p.y());
        }
    }

    /** A line series drawn without symbols on a curve panel's axes. */
    private static ObjectNode curveLine(ArrayNode series, String name, int grid, String color, double width) {
        ObjectNode s = series.addObject()
                .put("type", "line")
                .put("name", name)
                .put("xAxisIndex", grid)
                .put("yAxisIndex", grid)
                .put("showSymbol", false)
                .put("color", color);
        s.putObject("lineStyle").put("width", width);
        return s;
    }

    private static void dashed(ArrayNode series, String name, int grid, double x0, double y0, double x1, double y1) {
        ObjectNode s = curveLine(series, name, grid, CHANCE, 1.2).put("silent", true);
        ((ObjectNode) s.get("lineStyle")).put("type", "dashed");
        ArrayNode data = s.putArray("data");
        data.addArray().add(x0).add(y0);
        data.addArray().add(x1).add(y1);
    }

    static String label(double threshold) {
        return "threshold " + fmt(threshold);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
