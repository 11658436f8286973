package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Threshold;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page as a browser's parser reads it (jsoup), and what each chart is told to draw (its ECharts
 * option): every row, window, alert and threshold of a section at its exact time. What Chromium then
 * draws from it is ChromiumRenderTest's.
 */
class HtmlReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Report report;
    private static String html;
    private static Document doc;

    @BeforeAll
    static void writeTheSyntheticReport() throws Exception {
        report = SyntheticReports.twoFiles();
        Path file = dir.resolve("out/report.html");
        HtmlReport.write(report, file);
        html = Files.readString(file, StandardCharsets.UTF_8);
        doc = Jsoup.parse(html);
    }

    @Test
    void isOneSelfContainedPageWithEChartsInlined() throws IOException {
        assertThat(doc.select("script[src], link, img, iframe, object, embed")).isEmpty();
        String library = echarts();
        assertThat(html).contains(library);
        assertThat(doc.select("head > script").first().data()).isEqualTo(library);
        // apart from the library's own text (its licence header and XML namespace names), nothing points outside
        assertThat(html.replace(library, "")).doesNotContain("http:", "https:", "@import", "url(");
        assertThat(doc.select("div.chart")).hasSize(2 + 1);
        assertThat(doc.select("script[type=application/json]")).hasSize(2 + 1);
    }

    @Test
    void hasTheHeadlineAndOneTableRowPerFile() {
        assertThat(doc.select("h1").text()).isEqualTo("Synthetic evaluation");
        assertThat(doc.select("ul.headline > li > span.value").eachText()).startsWith("0.812", "12.3 %", "64.2");
        assertThat(doc.select("ul.headline > li > span.name").eachText()).startsWith("F1", "FAR", "NAB standard");
        assertThat(doc.select("#files h2").text()).isEqualTo("2 files");
        assertThat(doc.select("table.files thead th").eachText())
                .containsExactly("File", "Rows", "Channels", "Windows", "Alerts", "F1", "FAR", "precision");
        assertThat(doc.select("tr.file-row").eachAttr("data-file"))
                .containsExactly(SyntheticReports.VALVE, SyntheticReports.PUMP);
        assertThat(doc.select("tr.file-row").first().select("td").eachText())
                .containsExactly(SyntheticReports.VALVE, "1,200", "3", "2", "3", "0.550", "4.0 %", "0.900");
        assertThat(doc.select("tr.file-row").get(1).select("td a").attr("href")).isEqualTo("#file-2");
        assertThat(doc.select("section#file-2").attr("data-file")).isEqualTo(SyntheticReports.PUMP);
    }

    @Test
    void countsOneFileAsOneFileAndAnEvaluationsSectionsAsEntities() {
        FileSection one = report.files().get(0);
        Document single = Jsoup.parse(HtmlReport.render(new Report("r", "", List.of(), List.of(one), null)));
        assertThat(single.select("#files h2").text()).isEqualTo("1 file");

        List<FileSection> four = List.of(one, one, one, one);
        Document entities = Jsoup.parse(
                HtmlReport.render(new Report("r", "", List.of(), four, null, List.of(), Report.Sections.ENTITIES)));
        assertThat(entities.select("#files h2").text()).isEqualTo("4 entities");
        assertThat(entities.select("table.files thead th").first().text()).isEqualTo("Entity");
    }

    @Test
    void eachFileChartHasAPanelPerChannelAndTheScoreOnOneZoomableTimeAxis() {
        for (int i = 0; i < report.files().size(); i++) {
            FileSection f = report.files().get(i);
            JsonNode o = option("file-" + (i + 1) + "-chart");
            int panels = f.channels().size() + 1;
            assertThat(o.get("grid")).hasSize(panels);
            List<String> axisNames = new ArrayList<>(f.channels());
            axisNames.add("anomaly score");
            assertThat(texts(o.get("yAxis"), "name")).containsExactlyElementsOf(axisNames);
            assertThat(o.get("useUTC").asBoolean()).isTrue();
            assertThat(o.at("/tooltip/trigger").asText()).as("values on hover").isEqualTo("axis");

            JsonNode source = o.at("/dataset/source");
            assertThat(source.get("t")).hasSize(f.rows());
            for (int r = 0; r < f.rows(); r += 97) {
                assertThat(source.get("t").get(r).asLong()).isEqualTo(f.timestamps()[r]);
                for (int j = 0; j < f.channels().size(); j++) {
                    assertThat(source.get("c" + j).get(r).asDouble())
                            .isCloseTo(f.values()[r][j], within(Math.abs(f.values()[r][j]) * 1e-6));
                }
            }
            JsonNode series = o.get("series");
            for (int p = 0; p < panels; p++) {
                JsonNode s = series.get(p);
                assertThat(s.get("xAxisIndex").asInt()).isEqualTo(p);
                assertThat(s.get("sampling").asText())
                        .as("long series drawn by LTTB")
                        .isEqualTo("lttb");
                assertThat(s.at("/encode/y").asText()).isEqualTo(p < panels - 1 ? "c" + p : "score");
                List<long[]> areas = new ArrayList<>();
                for (JsonNode pair : s.at("/markArea/data")) {
                    if (!pair.get(0).path("name").asText().equals("not scored")) {
                        areas.add(new long[] {
                            pair.get(0).get("xAxis").asLong(),
                            pair.get(1).get("xAxis").asLong()
                        });
                    }
                }
                assertThat(areas)
                        .as("the true windows in panel %d", p)
                        .hasSize(f.windows().size());
                for (int w = 0; w < areas.size(); w++) {
                    assertThat(areas.get(w))
                            .containsExactly(
                                    f.windows().get(w).start(),
                                    f.windows().get(w).end());
                }
                List<JsonNode> alerts = new ArrayList<>();
                s.at("/markLine/data").forEach(m -> {
                    if (m.has("xAxis")) {
                        alerts.add(m);
                    }
                });
                assertThat(alerts).hasSameSizeAs(f.alerts());
                for (int a = 0; a < alerts.size(); a++) {
                    FileSection.Alert expected = f.alerts().get(a);
                    assertThat(alerts.get(a).get("xAxis").asLong()).isEqualTo(expected.time());
                    assertThat(alerts.get(a).at("/lineStyle/color").asText())
                            .isEqualTo(expected.status() == Status.OPEN ? Charts.OPEN : Charts.RESOLVED);
                    assertThat(alerts.get(a).get("name").asText())
                            .startsWith(
                                    expected.status() == Status.OPEN
                                            ? "alert opened 2024-03-"
                                            : "alert resolved 2024-03-");
                }
            }
            JsonNode zoom = o.get("dataZoom");
            assertThat(texts(zoom, "type")).containsExactly("inside", "slider");
            for (JsonNode z : zoom) {
                assertThat(z.get("xAxisIndex")).as("one zoom for every panel").hasSize(panels);
            }
        }
        // valve1/3.csv, 1 s rows from 10:00:00: the first alert opens 5 rows into the window at row 300
        assertThat(option("file-1-chart").at("/series/0/markLine/data/0/name").asText())
                .isEqualTo("alert opened 2024-03-09 10:05:05 UTC: CRITICAL Accelerometer1RMS score 0.97");
    }

    @Test
    void theScorePanelHasTheConstantOrTheDynamicThresholdAndWhereNothingWasScored() {
        JsonNode valve = option("file-1-chart");
        JsonNode valveScore = valve.get("series").get(3);
        JsonNode line = valveScore
                .at("/markLine/data")
                .get(valveScore.at("/markLine/data").size() - 1);
        assertThat(line.get("yAxis").asDouble()).isEqualTo(SyntheticReports.VALVE_THRESHOLD);
        assertThat(line.get("name").asText()).isEqualTo("threshold 0.800");
        assertThat(valve.get("series")).hasSize(4);

        FileSection pump = report.files().get(1);
        JsonNode o = option("file-2-chart");
        JsonNode dynamic = o.get("series").get(4);
        assertThat(dynamic.get("name").asText()).isEqualTo("dynamic threshold");
        assertThat(dynamic.at("/encode/y").asText()).isEqualTo("threshold");
        assertThat(dynamic.get("xAxisIndex").asInt()).isEqualTo(3);
        JsonNode threshold = o.at("/dataset/source/threshold");
        assertThat(threshold).hasSize(pump.rows());
        // NaN during the 64-row warm-up: no threshold there, then the per-row values
        assertThat(threshold.get(63).isNull()).isTrue();
        assertThat(threshold.get(64).asDouble())
                .isCloseTo(((Threshold.Dynamic) pump.threshold()).perRow()[64], within(1e-6));
        List<JsonNode> unscored = new ArrayList<>();
        o.at("/series/3/markArea/data").forEach(p -> {
            if (p.get(0).path("name").asText().equals("not scored")) {
                unscored.add(p);
            }
        });
        assertThat(unscored).hasSize(1);
        assertThat(unscored.get(0).get(0).get("xAxis").asLong()).isEqualTo(pump.timestamps()[0]);
        assertThat(unscored.get(0).get(1).get("xAxis").asLong()).isEqualTo(pump.timestamps()[64]);
        assertThat(doc.select("section#file-2 p.key").text()).contains("not scored");
    }

    @Test
    void rowsThatAllHadTheSameThresholdPlotAConstantOne() {
        double nan = Double.NaN;
        assertThat(Threshold.ofRows(new double[] {nan, 0.3, 0.3, nan, 0.3})).isEqualTo(Threshold.constant(0.3));
        assertThat(Threshold.ofRows(new double[] {nan, 0.3, 0.31})).isInstanceOf(Threshold.Dynamic.class);
        assertThat(Threshold.ofRows(new double[] {nan, nan})).isInstanceOf(Threshold.Dynamic.class);
    }

    @Test
    void bothCurvesAreDrawnWithTheirAreaInTheLegend() {
        Curves c = report.curves();
        JsonNode o = option("curves");
        List<String> names = texts(o.get("series"), "name");
        String roc = String.format(Locale.ROOT, "ROC, AUC %.3f", c.rocAuc());
        String pr = String.format(Locale.ROOT, "PR, AUC %.3f", c.prAuc());
        assertThat(names)
                .containsExactly(
                        roc,
                        "chance, AUC 0.5",
                        pr,
                        String.format(Locale.ROOT, "chance, precision %.3f", c.positiveRate()));
        assertThat(c.rocAuc()).isGreaterThan(0.9);
        // the ROC curve runs from (0, 0) to (1, 1)
        JsonNode rocData = o.at("/series/0/data");
        assertThat(rocData.get(0).get(0).asDouble()).isZero();
        assertThat(rocData.get(0).get(1).asDouble()).isZero();
        assertThat(rocData.get(rocData.size() - 1).get(0).asDouble()).isEqualTo(1);
        assertThat(rocData.get(rocData.size() - 1).get(1).asDouble()).isEqualTo(1);
        assertThat(o.at("/series/3/data/0/1").asDouble()).isEqualTo(c.positiveRate());
        assertThat(texts(o.get("legend").get(1).get("data"), null))
                .containsExactly(pr, String.format(Locale.ROOT, "chance, precision %.3f", c.positiveRate()));
    }

    @Test
    void escapesEveryText() {
        assertThat(html).contains("pump &lt;&amp;&gt; &quot;2&quot;.csv").doesNotContain("<h2>pump <&>");
        assertThat(doc.select("section#file-2 > h2").text()).isEqualTo(SyntheticReports.PUMP);
        String evil = "a</script><script>alert('x')</script>";
        FileSection nasty =
                SyntheticReports.file(evil, List.of("ch <1> & 'two'"), 50, 1000, 5, new int[][] {{10, 20}}, false, 3);
        String page = HtmlReport.render(
                new Report("T <b>", "s & t", List.of(Metric.text("<m>", "v & w")), List.of(nasty), null));
        Document parsed = Jsoup.parse(page);
        assertThat(page).doesNotContain("<script>alert", "<b>", "<m>");
        assertThat(parsed.select("script:not([type])"))
                .as("ECharts and the page's script")
                .hasSize(2);
        assertThat(parsed.select("h1").text()).isEqualTo("T <b>");
        assertThat(parsed.select("section#file-1").attr("data-file")).isEqualTo(evil);
        JsonNode o = parse(parsed.getElementById("file-1-chart-option").data());
        assertThat(o.at("/yAxis/0/name").asText()).isEqualTo("ch <1> & 'two'");
        assertThat(page).contains("No ROC or PR curves");
    }

    @Test
    void aLongSeriesKeepsEveryRowForZoomingAndItsSpike() throws IOException {
        int rows = 20_000;
        int spikeRow = 12_345;
        long[] t = new long[rows];
        double[][] v = new double[rows][1];
        double[] s = new double[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = SyntheticReports.START + i * 300_000L;
            v[i][0] = 50 + 10 * Math.sin(i / 200.0) + (i % 7) * 0.3;
            s[i] = 0.2 + 0.05 * Math.sin(i / 50.0);
        }
        v[spikeRow][0] = 500;
        s[spikeRow] = 0.99;
        FileSection f = FileSection.builder("nab/long.csv")
                .readings(t, List.of("value"), v)
                .scores(s)
                .threshold(Threshold.constant(0.9))
                .window(t[spikeRow - 20], t[spikeRow + 20])
                .alert(t[spikeRow], Status.OPEN, "spike")
                .build();
        Path file = dir.resolve("long.html");
        HtmlReport.write(new Report("long", "", List.of(), List.of(f), null), file);

        // the library (about 1 MB) plus about 25 bytes per row and column: a corpus of NAB's size stays small
        assertThat(Files.size(file)).isLessThan(echarts().length() + 25L * rows * 3);
        JsonNode source = parse(Jsoup.parse(Files.readString(file))
                        .getElementById("file-1-chart-option")
                        .data())
                .at("/dataset/source");
        assertThat(source.get("t")).hasSize(rows);
        assertThat(source.get("c0").get(spikeRow).asDouble()).isEqualTo(500);
        assertThat(source.get("t").get(spikeRow).asLong()).isEqualTo(t[spikeRow]);
        assertThat(source.get("score").get(spikeRow).asDouble()).isEqualTo(0.99);
    }

    @Test
    void aFileWithoutChannelsHasOnlyItsScorePanel() {
        FileSection scoresOnly = FileSection.builder("scores-only")
                .readings(new long[] {0, 1000, 2000}, List.of(), new double[3][0])
                .scores(new double[] {0.1, 0.9, 0.2})
                .threshold(Threshold.constant(0.5))
                .build();
        Document d = Jsoup.parse(HtmlReport.render(new Report("r", "", List.of(), List.of(scoresOnly), null)));
        JsonNode o = parse(d.getElementById("file-1-chart-option").data());
        assertThat(o.get("grid")).hasSize(1);
        assertThat(texts(o.get("series"), "name")).containsExactly("score");
    }

    @Test
    void refusesSectionsWhosePartsDoNotFit() {
        long[] t = {1, 2, 3};
        double[][] v = {{1}, {2}, {3}};
        assertThatThrownBy(() -> FileSection.builder("f")
                        .readings(t, List.of("a"), v)
                        .scores(new double[2])
                        .threshold(Threshold.constant(0.5))
                        .build())
                .hasMessage("f: 3 timestamps, 3 rows of values and 2 scores; they must be equally many");
        assertThatThrownBy(() -> FileSection.builder("f")
                        .readings(t, List.of("a", "b"), v)
                        .scores(0.1)
                        .threshold(Threshold.constant(0.5))
                        .build())
                .hasMessage("f: row 0 has 1 values but there are 2 channels [a, b]");
        assertThatThrownBy(() -> FileSection.builder("f")
                        .readings(new long[] {2, 1, 3}, List.of("a"), v)
                        .scores(0.1)
                        .threshold(Threshold.constant(0.5))
                        .build())
                .hasMessageContaining("row 1 is earlier than row 0");
        assertThatThrownBy(() -> FileSection.builder("f")
                        .readings(t, List.of("a"), v)
                        .scores(0.1)
                        .threshold(Threshold.dynamic(new double[5]))
                        .build())
                .hasMessage("f: the dynamic threshold has 5 values for 3 rows");
        assertThatThrownBy(() -> new FileSection.Window(5, 4))
                .hasMessageContaining("must not end (4) before it starts (5)");
    }

    /** The ECharts option of chart {@code id} in the two-file report. */
    private static JsonNode option(String id) {
        Element chart = doc.getElementById(id);
        assertThat(chart).as("chart %s", id).isNotNull();
        return parse(doc.getElementById(chart.attr("data-option")).data());
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("A chart's option is not JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    private static String echarts() throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(HtmlReport.ECHARTS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
