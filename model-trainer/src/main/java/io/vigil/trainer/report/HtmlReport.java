package io.vigil.trainer.report;

import io.vigil.trainer.report.FileSection.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Report} as one self-contained HTML file: no external scripts, fonts, styles or images,
 * so it opens offline by double-click. The headline metrics, a sortable per-file table, the overall ROC
 * and PR curves, then per file its channels and its score over time, with the true anomaly windows
 * shaded and the alerts marked. Plots are inline SVG; every plot element carries a {@code class} (and
 * {@code data-*} attributes) naming what it is. The markup is also well-formed XML.
 *
 * <pre>{@code
 * HtmlReport.write(report, Path.of("evaluation/report.html"));
 * }</pre>
 */
public final class HtmlReport {

    /** The usual file name of the report. */
    public static final String FILE = "report.html";

    private HtmlReport() {}

    /** Writes {@code report} to {@code file} (UTF-8), creating its directory if needed. */
    public static void write(Report report, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    /** The whole page. */
    public static String render(Report report) {
        StringBuilder out = new StringBuilder(64 * 1024);
        Svg h = new Svg(out);
        h.raw("<!DOCTYPE html>\n").open("html", "lang", "en").newline().open("head").newline();
        h.empty("meta", "charset", "utf-8").newline();
        h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1").newline();
        h.element("title", report.title()).newline();
        h.open("style").raw(Page.CSS).close("style").newline();
        h.close("head").newline().open("body").newline().open("main").newline();
        header(h, report);
        table(h, report);
        curves(h, report);
        List<FileSection> files = report.files();
        for (int i = 0; i < files.size(); i++) {
            file(h, files.get(i), i);
        }
        h.open("footer").text("Vigil evaluation report \u00b7 all times UTC \u00b7 hover a window or an alert marker for its"
                + " times").close("footer").newline();
        h.close("main").newline();
        h.open("script").raw(Page.SCRIPT).close("script").newline();
        h.close("body").newline().close("html").newline();
        return out.toString();
    }

    private static void header(Svg h, Report r) {
        h.open("header").newline();
        h.element("h1", r.title()).newline();
        if (!r.subtitle().isEmpty()) {
            h.element("p", r.subtitle(), "class", "subtitle").newline();
        }
        if (!r.headline().isEmpty()) {
            h.open("ul", "class", "headline").newline();
            for (Metric m : r.headline()) {
                h.open("li", "class", "metric", "data-name", m.name(), "data-value", value(m.value()));
                h.element("span", m.text(), "class", "value").element("span", m.name(), "class", "name");
                h.close("li").newline();
            }
            h.close("ul").newline();
        }
        for (String note : r.notes()) {
            h.element("p", note, "class", "note").newline();
        }
        h.close("header").newline();
    }

    private static void table(Svg h, Report r) {
        if (r.files().isEmpty()) {
            return;
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (FileSection f : r.files()) {
            for (Metric m : f.metrics()) {
                columns.putIfAbsent(m.name(), columns.size());
            }
        }
        h.open("section", "class", "card", "id", "files").newline();
        h.element("h2", r.files().size() + (r.files().size() == 1 ? " file" : " files")).newline();
        h.open("div", "class", "table-wrap").open("table", "class", "files sortable").newline();
        h.open("thead").open("tr");
        List<String> names = new ArrayList<>(List.of("File", "Rows", "Channels", "Windows", "Alerts"));
        names.addAll(columns.keySet());
        for (int c = 0; c < names.size(); c++) {
            h.element("th", names.get(c), "scope", "col", "title", "sort by " + names.get(c), "data-type",
                    c == 0 ? "text" : "number");
        }
        h.close("tr").close("thead").newline().open("tbody").newline();
        for (int i = 0; i < r.files().size(); i++) {
            FileSection f = r.files().get(i);
            h.open("tr", "class", "file-row", "data-file", f.name());
            h.open("td", "data-sort", f.name()).element("a", f.name(), "href", "#" + anchor(i)).close("td");
            cell(h, f.rows(), String.format(Locale.ROOT, "%,d", f.rows()));
            cell(h, f.channels().size(), Integer.toString(f.channels().size()));
            cell(h, f.windows().size(), Integer.toString(f.windows().size()));
            cell(h, f.alertCount(Status.OPEN), Long.toString(f.alertCount(Status.OPEN)));
            Metric[] row = new Metric[columns.size()];
            for (Metric m : f.metrics()) {
                row[columns.get(m.name())] = m;
            }
            for (Metric m : row) {
                if (m == null) {
                    cell(h, Double.NaN, Metric.MISSING);
                } else if (Double.isNaN(m.value())) {
                    h.element("td", m.text(), "data-sort", m.text());
                } else {
                    cell(h, m.value(), m.text());
                }
            }
            h.close("tr").newline();
        }
        h.close("tbody").close("table").close("div").newline();
        h.close("section").newline();
    }

    private static void cell(Svg h, double sortValue, String text) {
        h.element("td", text, "data-sort", value(sortValue));
    }

    private static void curves(Svg h, Report r) {
        h.open("section", "class", "card", "id", "ranking").newline();
        h.element("h2", "Ranking quality, all files").newline();
        if (r.curves() == null) {
            h.element("p", "No ROC or PR curves: they need both normal and anomalous events.", "class", "note");
        } else {
            h.element("p", "How well the score ranks anomalous events above normal ones, at every threshold.",
                    "class", "note").newline();
            h.open("div", "class", "curves").newline();
            CurvePlots.roc(h, r.curves());
            CurvePlots.pr(h, r.curves());
            h.close("div").newline();
        }
        h.close("section").newline();
    }

    private static void file(Svg h, FileSection f, int index) {
        h.open("section", "class", "card file", "id", anchor(index), "data-file", f.name()).newline();
        h.element("h2", f.name()).newline();
        long[] t = f.timestamps();
        long opened = f.alertCount(Status.OPEN);
        long resolved = f.alertCount(Status.RESOLVED);
        String facts = String.format(Locale.ROOT, "%,d rows \u00b7 %s \u2013 %s UTC (%s) \u00b7 %d true anomaly window%s"
                + " \u00b7 %d alert%s opened, %d resolved", f.rows(), TimeAxis.format(t[0]), TimeAxis.format(t[t.length - 1]),
                TimeAxis.duration(t[t.length - 1] - t[0]), f.windows().size(), f.windows().size() == 1 ? "" : "s",
                opened, opened == 1 ? "" : "s", resolved);
        h.element("p", facts, "class", "facts").newline();
        if (!f.metrics().isEmpty()) {
            h.open("ul", "class", "file-metrics");
            for (Metric m : f.metrics()) {
                h.open("li", "data-name", m.name()).element("span", m.name(), "class", "name").text(" ")
                        .element("span", m.text(), "class", "value").close("li");
            }
            h.close("ul").newline();
        }
        TimePlots plots = new TimePlots(f);
        if (!f.channels().isEmpty()) {
            plots.series(h);
        }
        plots.score(h);
        h.close("section").newline();
    }

    private static String anchor(int index) {
        return "file-" + (index + 1);
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
