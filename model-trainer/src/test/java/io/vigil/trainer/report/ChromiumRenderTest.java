package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renders a report in headless Chromium, as a person's browser would, offline from a file: ECharts (inlined
 * in the page) draws every chart as SVG, and the DOM after loading has what each shows (the anomaly
 * windows' shading, the alert lines, the threshold, the curves' legends); the screenshot shows them. The
 * page and the screenshot stay in {@code target/report-render/} to look at. Chromium is optional (Debian's
 * {@code chromium}, which {@code .ci/run} installs): without it the test is reported as skipped, as
 * "skipped: chromium not installed".
 */
class ChromiumRenderTest {

    /** {@code -Dvigil.chromium=<path>}, else {@code chromium} on the PATH (Debian's package puts it in /usr/bin). */
    static final Path CHROMIUM = Path.of(System.getProperty("vigil.chromium", onPath("chromium")));

    static final Path OUT = Path.of("target", "report-render").toAbsolutePath();
    static final int WIDTH = 1400;
    static final int HEIGHT = 4000;
    static final long TIMEOUT_SECONDS = 90;
    static final String NOT_INSTALLED = "skipped: chromium not installed (no chromium on the PATH; apt-get install"
            + " chromium, or point -Dvigil.chromium= at one)";

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name + "-not-on-the-PATH";
    }

    private static Report report;
    private static Path page;

    @BeforeAll
    static void writeTheReport() throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println(ChromiumRenderTest.class.getSimpleName() + ": " + NOT_INSTALLED);
            return;
        }
        report = SyntheticReports.corpus();
        page = OUT.resolve("report.html");
        HtmlReport.write(report, page);
    }

    @BeforeEach
    void needsChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), NOT_INSTALLED);
    }

    @Test
    void everyChartIsDrawnWithItsWindowsAlertsThresholdsAndCurves() throws Exception {
        String dom = chromium(
                "dom", "--dump-dom", "--virtual-time-budget=10000", page.toUri().toString());
        Files.writeString(OUT.resolve("dom.html"), dom);

        List<FileSection> files = report.files();
        assertThat(dom).contains("<h1>Corpus benchmark (synthetic)</h1>");
        assertThat(dom).as("the table's sort script ran").contains("data-sort-ready=\"true\"");
        assertThat(occurrences(dom, "<tr class=\"file-row\"")).isEqualTo(files.size());
        assertThat(occurrences(dom, "data-rendered=\"true\""))
                .as("charts ECharts drew")
                .isEqualTo(files.size() + 1);
        for (int i = 0; i < files.size(); i++) {
            String chart = chart(dom, "file-" + (i + 1) + "-chart");
            FileSection f = files.get(i);
            int panels = f.channels().size() + 1;
            for (String channel : f.channels()) {
                assertThat(chart)
                        .as("%s: the panel of %s", f.name(), channel)
                        .contains(">" + escaped(channel) + "</text>");
            }
            assertThat(chart).contains(">anomaly score</text>");
            assertThat(occurrences(chart, "fill=\"" + Charts.WINDOW + "\""))
                    .as("%s: each window shaded in each of the %d panels", f.name(), panels)
                    .isEqualTo(f.windows().size() * panels);
            assertThat(occurrences(chart, "stroke=\"" + Charts.OPEN + "\""))
                    .as("%s: each opened alert's line in each panel", f.name())
                    .isEqualTo((int) f.alertCount(FileSection.Status.OPEN) * panels);
            assertThat(occurrences(chart, "stroke=\"" + Charts.RESOLVED + "\""))
                    .as("%s: each resolved alert's line in each panel", f.name())
                    .isEqualTo((int) f.alertCount(FileSection.Status.RESOLVED) * panels);
            if (f.threshold() instanceof FileSection.Threshold.Constant c) {
                assertThat(chart).contains(">" + Charts.label(c.value()) + "</text>");
            } else {
                assertThat(chart).contains(">dynamic threshold</text>").doesNotContain(">threshold 0.");
            }
        }
        String curves = chart(dom, "curves");
        assertThat(curves)
                .contains(
                        String.format(
                                Locale.ROOT,
                                ">ROC, AUC %.3f</text>",
                                report.curves().rocAuc()),
                        String.format(
                                Locale.ROOT,
                                ">PR, AUC %.3f</text>",
                                report.curves().prAuc()),
                        ">false positive rate</text>",
                        ">precision</text>");
        assertThat(dom).contains("data-file=\"pump &lt;&amp;&gt; &quot;2&quot;.csv\"");
    }

    @Test
    void theScreenshotShowsThePlots() throws Exception {
        Path png = OUT.resolve("report.png");
        Files.deleteIfExists(png);
        chromium(
                "screenshot",
                "--screenshot=" + png,
                "--window-size=" + WIDTH + "," + HEIGHT,
                "--hide-scrollbars",
                "--virtual-time-budget=10000",
                page.toUri().toString());

        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        Set<Integer> colours = new HashSet<>();
        long notWhite = 0;
        long window = 0;
        long scoreLine = 0;
        long openAlert = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                notWhite += rgb == 0xffffff ? 0 : 1;
                window += rgb == rgb(Charts.WINDOW) ? 1 : 0;
                scoreLine += near(rgb, rgb(Charts.SCORE)) ? 1 : 0;
                openAlert += near(rgb, rgb(Charts.OPEN)) ? 1 : 0;
            }
        }
        assertThat(colours).as("distinct colours").hasSizeGreaterThan(500);
        assertThat(notWhite).as("pixels that are not white").isGreaterThan((long) WIDTH * HEIGHT / 10);
        assertThat(window).as("pixels of the anomaly windows' fill").isGreaterThan(20_000);
        assertThat(scoreLine).as("pixels of the score line").isGreaterThan(1_000);
        assertThat(openAlert).as("pixels of the opened-alert lines").isGreaterThan(300);
    }

    /** The markup of the chart container {@code id}, up to the next chart's. */
    private static String chart(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("chart %s in the DOM", id).isPositive();
        int end = dom.indexOf("<div class=\"chart", start + 1);
        return dom.substring(start, end < 0 ? dom.length() : end);
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Runs Chromium headless on its own profile; returns its standard output. Killed by PID on timeout. */
    private static String chromium(String name, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("vigil-chromium-");
        Path stdout = OUT.resolve(name + ".out");
        Path stderr = OUT.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("Chromium (pid " + p.pid() + ") did not finish " + name + " within " + TIMEOUT_SECONDS
                        + " s; killed. Its log: " + stderr);
            }
            assertThat(p.exitValue())
                    .as("Chromium's exit code; its log is %s", stderr)
                    .isZero();
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(profile);
        }
    }

    private static int occurrences(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int rgb(String hex) {
        return Integer.parseInt(hex.substring(1), 16);
    }

    private static boolean near(int a, int b) {
        return Math.abs((a >> 16 & 255) - (b >> 16 & 255)) <= 12
                && Math.abs((a >> 8 & 255) - (b >> 8 & 255)) <= 12
                && Math.abs((a & 255) - (b & 255)) <= 12;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(q -> q.toFile().delete());
        }
    }
}
