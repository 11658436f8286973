package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Threshold;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {

    @TempDir
    static Path dir;

    private static Report report;
    private static String html;
    private static Document doc;
    private static final XPath XPATH = XPathFactory.newInstance().newXPath();

    @BeforeAll
    static void writeTheSyntheticReport() throws Exception {
        report = SyntheticReports.twoFiles();
        Path file = dir.resolve("out/report.html");
        HtmlReport.write(report, file);
        html = Files.readString(file, StandardCharsets.UTF_8);
        doc = parse(html);
    }

    @Test
    void isOneSelfContainedWellFormedPage() {
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
        assertThat(html).doesNotContain("src=", "<link", "@import", "url(", "http://www.w3.org/1999/xlink");
        // the SVG namespace is an identifier, never fetched; nothing else may point outside the file
        assertThat(html.replace(Svg.NS, "")).doesNotContain("http:", "https:");
        assertThat(count("//svg")).isEqualTo(2 * 2 + 2);
        assertThat(html.split("<svg xmlns=\"" + Svg.NS + "\"", -1)).hasSize(6 + 1);
    }

    @Test
    void hasTheHeadlineAndOneTableRowPerFile() {
        assertThat(text("//h1")).isEqualTo("Synthetic evaluation");
        assertThat(texts("//ul[@class='headline']/li/span[@class='value']"))
                .startsWith("0.812", "12.3 %", "64.2");
        assertThat(texts("//ul[@class='headline']/li/span[@class='name']")).startsWith("F1", "FAR", "NAB standard");
        assertThat(texts("//table[contains(@class,'files')]/thead//th"))
                .containsExactly("File", "Rows", "Channels", "Windows", "Alerts", "F1", "FAR", "precision");
        assertThat(texts("//tr[@class='file-row']/@data-file")).containsExactly(SyntheticReports.VALVE, SyntheticReports.PUMP);
        assertThat(texts("//tr[@class='file-row'][1]/td")).containsExactly(SyntheticReports.VALVE, "1,200", "3", "2", "3",
                "0.550", "4.0 %", "0.900");
        assertThat(text("//tr[@class='file-row'][2]/td[1]/a/@href")).isEqualTo("#file-2");
        assertThat(text("//section[@id='file-2']/@data-file")).isEqualTo(SyntheticReports.PUMP);
    }

    @Test
    void eachFileHasASeriesPlotAndAScorePlotWithItsWindowsShaded() {
        for (FileSection f : report.files()) {
            String file = "[@data-file=" + literal(f.name()) + "]";
            assertThat(count("//svg[@class='plot series']" + file)).isEqualTo(1);
            assertThat(count("//svg[@class='plot score']" + file)).isEqualTo(1);
            assertThat(count("//svg[@class='plot series']" + file + "/g[@class='panel']")).isEqualTo(3);
            assertThat(texts("//svg[@class='plot series']" + file + "/g[@class='panel']/@data-channel"))
                    .containsExactlyElementsOf(f.channels());
            for (String plot : List.of("series", "score")) {
                List<Element> windows = elements("//svg[@class='plot " + plot + "']" + file + "//rect[@class='window']");
                assertThat(windows).hasSize(2);
                for (int w = 0; w < 2; w++) {
                    FileSection.Window expected = f.windows().get(w);
                    Element rect = windows.get(w);
                    double x = Double.parseDouble(rect.getAttribute("x"));
                    double width = Double.parseDouble(rect.getAttribute("width"));
                    assertThat(x).isCloseTo(expectedX(f, expected.start()), within(0.051));
                    assertThat(x + width).isCloseTo(expectedX(f, expected.end()), within(0.11));
                }
            }
        }
    }

    @Test
    void alertsAreMarkedAtTheirTimeOpenAndResolvedApart() {
        for (FileSection f : report.files()) {
            for (String plot : List.of("series", "score")) {
                String svg = "//svg[@class='plot " + plot + "'][@data-file=" + literal(f.name()) + "]";
                for (Status status : Status.values()) {
                    String cls = status == Status.OPEN ? "alert open" : "alert resolved";
                    List<Element> marks = elements(svg + "//g[@class='" + cls + "']");
                    List<FileSection.Alert> alerts = f.alerts().stream().filter(a -> a.status() == status).toList();
                    assertThat(marks).hasSize(3).hasSize(alerts.size());
                    for (int i = 0; i < alerts.size(); i++) {
                        Element line = (Element) marks.get(i).getElementsByTagName("line").item(0);
                        assertThat(Long.parseLong(marks.get(i).getAttribute("data-time"))).isEqualTo(alerts.get(i).time());
                        assertThat(Double.parseDouble(line.getAttribute("x1")))
                                .isCloseTo(expectedX(f, alerts.get(i).time()), within(0.051));
                        assertThat(line.getAttribute("x2")).isEqualTo(line.getAttribute("x1"));
                    }
                    assertThat(texts(svg + "//g[@class='" + cls + "']/title")).allMatch(t -> t.startsWith(
                            status == Status.OPEN ? "alert opened 2024-03-" : "alert resolved 2024-03-"));
                }
            }
        }
        // valve1/3.csv, 1 s rows from 10:00:00: the first alert opens 5 rows into the window at row 300
        assertThat(text("//svg[@class='plot score'][@data-file='valve1/3.csv']//g[@class='alert open'][1]/title"))
                .isEqualTo("alert opened 2024-03-09 10:05:05 UTC: CRITICAL Accelerometer1RMS score 0.97");
    }

    @Test
    void theScorePlotHasTheConstantOrTheDynamicThreshold() {
        String valve = "//svg[@class='plot score'][@data-file='valve1/3.csv']";
        Element line = elements(valve + "/g[@class='threshold constant']/line").get(0);
        double y = TimePlots.TOP + TimePlots.SCORE_HEIGHT * (1 - SyntheticReports.VALVE_THRESHOLD);
        assertThat(Double.parseDouble(line.getAttribute("y1"))).isCloseTo(y, within(0.051));
        assertThat(line.getAttribute("y2")).isEqualTo(line.getAttribute("y1"));
        assertThat(text(valve + "/g[@class='threshold constant']/text")).isEqualTo("threshold 0.800");
        assertThat(count(valve + "//path[@class='threshold dynamic']")).isZero();

        String pump = "//svg[@class='plot score'][@data-file=" + literal(SyntheticReports.PUMP) + "]";
        assertThat(count(pump + "//g[@class='threshold constant']")).isZero();
        String d = text(pump + "/path[@class='threshold dynamic']/@d");
        // NaN during the 64-row warm-up: the curve starts at the first row that has a threshold
        FileSection f = report.files().get(1);
        assertThat(d).startsWith("M" + Svg.num(expectedX(f, f.timestamps()[64])) + ",");
        assertThat(count(pump + "/rect[@class='unscored']")).isEqualTo(1);
        assertThat(text(pump + "//g[@class='legend']")).contains("dynamic threshold", "not scored");
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
        assertThat(count("//svg[@class='plot roc']/path[@class='curve roc']")).isEqualTo(1);
        assertThat(count("//svg[@class='plot pr']/path[@class='curve pr']")).isEqualTo(1);
        assertThat(text("//svg[@class='plot roc']//g[@class='legend']"))
                .contains(String.format(Locale.ROOT, "ROC, AUC %.3f", c.rocAuc()));
        assertThat(text("//svg[@class='plot pr']//g[@class='legend']"))
                .contains(String.format(Locale.ROOT, "PR, AUC %.3f", c.prAuc()));
        assertThat(c.rocAuc()).isGreaterThan(0.9);
        // the ROC curve runs from (0, 0) at the bottom left to (1, 1) at the top right of the square
        String roc = text("//svg[@class='plot roc']/path[@class='curve roc']/@d");
        assertThat(roc).startsWith("M" + CurvePlots.LEFT + "," + (CurvePlots.TOP + CurvePlots.SIZE))
                .endsWith("L" + (CurvePlots.LEFT + CurvePlots.SIZE) + "," + CurvePlots.TOP);
        assertThat(count("//svg[@class='plot pr']/line[@class='chance']")).isEqualTo(1);
    }

    @Test
    void escapesEveryText() {
        assertThat(html).contains("pump &lt;&amp;&gt; &quot;2&quot;.csv").doesNotContain("pump <&>", "\"2\".csv");
        assertThat(text("//section[@id='file-2']/h2")).isEqualTo(SyntheticReports.PUMP);
        FileSection nasty = SyntheticReports.file("a</svg><script>alert('x')</script>", List.of("ch <1> & 'two'"), 50,
                1000, 5, new int[][] {{10, 20}}, false, 3);
        String page = HtmlReport.render(new Report("T <b>", "s & t", List.of(Metric.text("<m>", "v & w")), List.of(nasty),
                null));
        Document parsed = parse(page);
        assertThat(page).doesNotContain("<script>alert", "<b>", "<m>");
        assertThat(parsed.getElementsByTagName("script").getLength()).isEqualTo(1);
        assertThat(parsed.getElementsByTagName("h1").item(0).getTextContent()).isEqualTo("T <b>");
        assertThat(page).contains("No ROC or PR curves");
    }

    @Test
    void aLongSeriesIsDownsampledButKeepsItsSpike() throws IOException {
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
        FileSection f = FileSection.builder("nab/long.csv").readings(t, List.of("value"), v).scores(s)
                .threshold(Threshold.constant(0.9)).window(t[spikeRow - 20], t[spikeRow + 20])
                .alert(t[spikeRow], Status.OPEN, "spike").build();
        Path file = dir.resolve("long.html");
        HtmlReport.write(new Report("long", "", List.of(), List.of(f), null), file);

        assertThat(Files.size(file)).isLessThan(150_000);
        Document d = parse(Files.readString(file));
        String line = textIn(d, "//svg[@class='plot series']/g[@class='panel']/path[@class='line']/@d");
        double[][] points = points(line);
        int plotWidth = TimePlots.WIDTH - TimePlots.LEFT - TimePlots.RIGHT;
        assertThat(points.length).isLessThanOrEqualTo(2 * (plotWidth + 1)).isGreaterThan(plotWidth);
        // the spike is the series' maximum, so it is the top-most point, drawn at its own time
        double lo = Arrays.stream(v).mapToDouble(r -> r[0]).min().orElseThrow();
        double pad = (500 - lo) * 0.06;
        int top = TimePlots.TOP;
        int bottom = top + TimePlots.panelHeight(1);
        double spikeY = bottom - (500 - (lo - pad)) / (500 + pad - (lo - pad)) * (bottom - top);
        double[] highest = Arrays.stream(points).min((a, b) -> Double.compare(a[1], b[1])).orElseThrow();
        assertThat(highest[1]).isCloseTo(spikeY, within(0.051));
        assertThat(highest[0]).isCloseTo(expectedX(f, t[spikeRow]), within(0.051));
        String score = textIn(d, "//svg[@class='plot score']/path[@class='line score']/@d");
        double[] scoreTop = Arrays.stream(points(score)).min((a, b) -> Double.compare(a[1], b[1])).orElseThrow();
        assertThat(scoreTop[1]).isCloseTo(TimePlots.TOP + TimePlots.SCORE_HEIGHT * (1 - 0.99), within(0.051));
    }

    @Test
    void aFileWithoutChannelsHasOnlyItsScorePlot() {
        FileSection scoresOnly = FileSection.builder("scores-only").readings(new long[] {0, 1000, 2000}, List.of(),
                new double[3][0]).scores(new double[] {0.1, 0.9, 0.2}).threshold(Threshold.constant(0.5)).build();
        Document d = parse(HtmlReport.render(new Report("r", "", List.of(), List.of(scoresOnly), null)));
        assertThat(d.getElementsByTagName("svg").getLength()).isEqualTo(1);
        assertThat(textIn(d, "//svg/@class")).isEqualTo("plot score");
    }

    @Test
    void refusesSectionsWhosePartsDoNotFit() {
        long[] t = {1, 2, 3};
        double[][] v = {{1}, {2}, {3}};
        assertThatThrownBy(() -> FileSection.builder("f").readings(t, List.of("a"), v).scores(new double[2])
                .threshold(Threshold.constant(0.5)).build())
                .hasMessage("f: 3 timestamps, 3 rows of values and 2 scores; they must be equally many");
        assertThatThrownBy(() -> FileSection.builder("f").readings(t, List.of("a", "b"), v).scores(0.1)
                .threshold(Threshold.constant(0.5)).build())
                .hasMessage("f: row 0 has 1 values but there are 2 channels [a, b]");
        assertThatThrownBy(() -> FileSection.builder("f").readings(new long[] {2, 1, 3}, List.of("a"), v).scores(0.1)
                .threshold(Threshold.constant(0.5)).build())
                .hasMessageContaining("row 1 is earlier than row 0");
        assertThatThrownBy(() -> FileSection.builder("f").readings(t, List.of("a"), v).scores(0.1)
                .threshold(Threshold.dynamic(new double[5])).build())
                .hasMessage("f: the dynamic threshold has 5 values for 3 rows");
        assertThatThrownBy(() -> new FileSection.Window(5, 4)).hasMessageContaining("must not end (4) before it starts (5)");
    }

    /** The x of time {@code t}: the plot area spans the file's first to last timestamp. */
    private static double expectedX(FileSection f, long t) {
        long first = f.timestamps()[0];
        long last = f.timestamps()[f.rows() - 1];
        return TimePlots.LEFT + (double) (t - first) / (last - first) * (TimePlots.WIDTH - TimePlots.LEFT - TimePlots.RIGHT);
    }

    private static double[][] points(String d) {
        List<double[]> out = new ArrayList<>();
        for (String p : d.split("[ML]")) {
            if (!p.isEmpty()) {
                String[] xy = p.split(",");
                out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
        }
        return out.toArray(new double[0][]);
    }

    static Document parse(String markup) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(markup)));
        } catch (Exception e) {
            throw new AssertionError("The report is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static String literal(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        if (!s.contains("\"")) {
            return "\"" + s + "\"";
        }
        throw new IllegalArgumentException(s);
    }

    private static int count(String xpath) {
        return nodes(xpath).getLength();
    }

    private static String text(String xpath) {
        return textIn(doc, xpath);
    }

    private static String textIn(Document d, String xpath) {
        try {
            return ((Node) XPATH.evaluate(xpath, d, XPathConstants.NODE)).getTextContent();
        } catch (Exception e) {
            throw new AssertionError(xpath + ": " + e.getMessage(), e);
        }
    }

    private static List<String> texts(String xpath) {
        NodeList n = nodes(xpath);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    private static List<Element> elements(String xpath) {
        NodeList n = nodes(xpath);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add((Element) n.item(i));
        }
        return out;
    }

    private static NodeList nodes(String xpath) {
        try {
            return (NodeList) XPATH.evaluate(xpath, doc, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new AssertionError(xpath + ": " + e.getMessage(), e);
        }
    }
}
