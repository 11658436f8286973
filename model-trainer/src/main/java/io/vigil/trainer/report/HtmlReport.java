package io.vigil.trainer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.trainer.report.FileSection.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Report} as one self-contained HTML file that opens offline by double-click: the
 * headline metrics, a sortable table with a row per section, then the overall ROC and PR curves and per
 * section its channels and its score over time, with the true anomaly windows shaded and the alerts
 * marked. The charts are drawn by Apache ECharts, whose build is inlined into the page (it is bundled in
 * this jar, {@code echarts/echarts.min.js} beside this class), from an option object per chart that
 * {@link Charts} builds and the page carries as JSON ({@code <script type="application/json">}).
 *
 * <pre>{@code
 * HtmlReport.write(report, Path.of("evaluation/report.html"));
 * }</pre>
 */
public final class HtmlReport {

    /** The usual file name of the report. */
    public static final String FILE = "report.html";

    /** ECharts, as the build copies it from its WebJar (see model-trainer's pom). */
    static final String ECHARTS = "echarts/echarts.min.js";

    private static final ObjectMapper JSON = new ObjectMapper();

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
        StringBuilder h = new StringBuilder(1 << 21);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(escape(report.title()))
                .append("</title>\n")
                .append("<style>")
                .append(Page.CSS)
                .append("</style>\n")
                .append("<script>")
                .append(echarts())
                .append("</script>\n")
                .append("</head>\n<body>\n<main>\n");
        header(h, report);
        for (Report.Table t : report.tables()) {
            table(h, t);
        }
        table(h, report);
        curves(h, report);
        List<FileSection> files = report.files();
        for (int i = 0; i < files.size(); i++) {
            file(h, files.get(i), i);
        }
        h.append(
                "<footer>Vigil evaluation report \u00b7 all times UTC \u00b7 drag or scroll on a chart, or use the slider"
                        + " under it, to zoom; hover for values, alert and window times</footer>\n");
        h.append("</main>\n<script>").append(Page.SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, Report r) {
        h.append("<header>\n<h1>").append(escape(r.title())).append("</h1>\n");
        if (!r.subtitle().isEmpty()) {
            h.append("<p class=\"subtitle\">").append(escape(r.subtitle())).append("</p>\n");
        }
        if (!r.headline().isEmpty()) {
            h.append("<ul class=\"headline\">\n");
            for (Metric m : r.headline()) {
                h.append("<li class=\"metric\" data-name=\"")
                        .append(escape(m.name()))
                        .append("\" data-value=\"")
                        .append(value(m.value()))
                        .append("\"><span class=\"value\">")
                        .append(escape(m.text()))
                        .append("</span><span class=\"name\">")
                        .append(escape(m.name()))
                        .append("</span></li>\n");
            }
            h.append("</ul>\n");
        }
        for (String note : r.notes()) {
            h.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        }
        h.append("</header>\n");
    }

    private static void table(StringBuilder h, Report r) {
        if (r.files().isEmpty()) {
            return;
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (FileSection f : r.files()) {
            for (Metric m : f.metrics()) {
                columns.putIfAbsent(m.name(), columns.size());
            }
        }
        h.append("<section class=\"card\" id=\"files\">\n<h2>")
                .append(r.sections().count(r.files().size()))
                .append("</h2>\n<div class=\"table-wrap\"><table class=\"files sortable\">\n<thead><tr>");
        List<String> names = new ArrayList<>(List.of(r.sections().column(), "Rows", "Channels", "Windows", "Alerts"));
        names.addAll(columns.keySet());
        for (int c = 0; c < names.size(); c++) {
            h.append("<th scope=\"col\" title=\"sort by ")
                    .append(escape(names.get(c)))
                    .append("\" data-type=\"")
                    .append(c == 0 ? "text" : "number")
                    .append("\">")
                    .append(escape(names.get(c)))
                    .append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < r.files().size(); i++) {
            FileSection f = r.files().get(i);
            h.append("<tr class=\"file-row\" data-file=\"")
                    .append(escape(f.name()))
                    .append("\"><td data-sort=\"")
                    .append(escape(f.name()))
                    .append("\"><a href=\"#")
                    .append(anchor(i))
                    .append("\">")
                    .append(escape(f.name()))
                    .append("</a></td>");
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
                    h.append("<td data-sort=\"")
                            .append(escape(m.text()))
                            .append("\">")
                            .append(escape(m.text()))
                            .append("</td>");
                } else {
                    cell(h, m.value(), m.text());
                }
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n</section>\n");
    }

    /** A further table: a sortable row per name, a column per metric. */
    private static void table(StringBuilder h, Report.Table t) {
        h.append("<section class=\"card\">\n<h2>").append(escape(t.title())).append("</h2>\n");
        if (!t.note().isEmpty()) {
            h.append("<p class=\"note\">").append(escape(t.note())).append("</p>\n");
        }
        h.append("<div class=\"table-wrap\"><table class=\"sortable\">\n<thead><tr>");
        for (int c = 0; c < t.columns().size(); c++) {
            h.append("<th scope=\"col\" title=\"sort by ")
                    .append(escape(t.columns().get(c)))
                    .append("\" data-type=\"")
                    .append(c == 0 ? "text" : "number")
                    .append("\">")
                    .append(escape(t.columns().get(c)))
                    .append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (Report.Row row : t.rows()) {
            h.append("<tr><td data-sort=\"")
                    .append(escape(row.name()))
                    .append("\">")
                    .append(escape(row.name()))
                    .append("</td>");
            for (Metric m : row.metrics()) {
                cell(h, m.value(), m.text());
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n</section>\n");
    }

    private static void cell(StringBuilder h, double sortValue, String text) {
        h.append("<td data-sort=\"")
                .append(value(sortValue))
                .append("\">")
                .append(escape(text))
                .append("</td>");
    }

    private static void curves(StringBuilder h, Report r) {
        h.append("<section class=\"card\" id=\"ranking\">\n<h2>Ranking quality, all ")
                .append(r.sections() == Report.Sections.FILES ? "files" : "entities")
                .append("</h2>\n");
        if (r.curves() == null) {
            h.append("<p class=\"note\">No ROC or PR curves: they need both normal and anomalous events.</p>\n");
        } else {
            h.append("<p class=\"note\">How well the score ranks anomalous events above normal ones, at every"
                    + " threshold.</p>\n");
            chart(
                    h,
                    "curves",
                    "chart curves",
                    null,
                    Charts.curvesWidth(),
                    Charts.curvesHeight(),
                    Charts.curves(r.curves(), r.compared()));
        }
        h.append("</section>\n");
    }

    private static void file(StringBuilder h, FileSection f, int index) {
        h.append("<section class=\"card file\" id=\"")
                .append(anchor(index))
                .append("\" data-file=\"")
                .append(escape(f.name()))
                .append("\">\n<h2>")
                .append(escape(f.name()))
                .append("</h2>\n");
        long[] t = f.timestamps();
        long opened = f.alertCount(Status.OPEN);
        long resolved = f.alertCount(Status.RESOLVED);
        int windows = f.windows().size();
        h.append("<p class=\"facts\">")
                .append(escape(String.format(
                        Locale.ROOT,
                        "%,d rows \u00b7 %s \u2013 %s UTC (%s)"
                                + " \u00b7 %d true anomaly window%s \u00b7 %d alert%s opened, %d resolved",
                        f.rows(),
                        Times.format(t[0]),
                        Times.format(t[t.length - 1]),
                        Times.duration(t[t.length - 1] - t[0]),
                        windows,
                        windows == 1 ? "" : "s",
                        opened,
                        opened == 1 ? "" : "s",
                        resolved)))
                .append("</p>\n");
        if (!f.metrics().isEmpty()) {
            h.append("<ul class=\"file-metrics\">");
            for (Metric m : f.metrics()) {
                h.append("<li data-name=\"")
                        .append(escape(m.name()))
                        .append("\"><span class=\"name\">")
                        .append(escape(m.name()))
                        .append("</span> <span class=\"value\">")
                        .append(escape(m.text()))
                        .append("</span></li>");
            }
            h.append("</ul>\n");
        }
        h.append("<p class=\"key\"><span class=\"swatch window\"></span>true anomaly window "
                + "<span class=\"swatch open\"></span>alert opened <span class=\"swatch resolved\"></span>alert resolved"
                + (hasNaN(f.scores()) ? " <span class=\"swatch unscored\"></span>not scored" : "") + "</p>\n");
        chart(h, anchor(index) + "-chart", "chart file-chart", f.name(), 0, Charts.fileChartHeight(f), Charts.file(f));
        h.append("</section>\n");
    }

    /**
     * A chart's container and its ECharts option as JSON. The JSON sits in a script element the browser
     * does not run; '<' is written as its JSON escape so no text in it can end that element.
     */
    private static void chart(
            StringBuilder h, String id, String cls, String file, int width, int height, JsonNode option) {
        String json;
        try {
            json = JSON.writeValueAsString(option).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the chart option of " + id, e);
        }
        h.append("<div class=\"")
                .append(cls)
                .append("\" id=\"")
                .append(id)
                .append("\" data-option=\"")
                .append(id)
                .append("-option\"")
                .append(file == null ? "" : " data-file=\"" + escape(file) + "\"")
                .append(" style=\"height:")
                .append(height)
                .append("px")
                .append(width > 0 ? ";width:" + width + "px" : "")
                .append("\"></div>\n<script type=\"application/json\" id=\"")
                .append(id)
                .append("-option\">")
                .append(json)
                .append("</script>\n");
    }

    private static String echarts() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException("ECharts is missing from the build (" + ECHARTS + " beside "
                        + HtmlReport.class.getName() + "): rebuild model-trainer with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String anchor(int index) {
        return "file-" + (index + 1);
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
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
