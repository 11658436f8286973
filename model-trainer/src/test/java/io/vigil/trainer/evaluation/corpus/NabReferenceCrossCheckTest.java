package io.vigil.trainer.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java scorer against the reference nab_score.py on the same corpora: always against values recorded
 * from the reference (so CI needs no Python), and live against the reference when python3 and the script
 * are there (VIGIL_NAB_REFERENCE, default /work/shared/tools/nab_score.py).
 */
class NabReferenceCrossCheckTest {

    private static final double EXACT = 1e-9;
    private static final Path REFERENCE =
            Path.of(System.getenv().getOrDefault("VIGIL_NAB_REFERENCE", "/work/shared/tools/nab_score.py"));

    /**
     * Runs the reference's own main() once per corpus (arguments: the script, then labels, data and results
     * of each corpus) in one process, and also records, at full precision, what each of its best_score calls
     * returned (per profile: detector, null, perfect), since main() prints only 2-4 decimals.
     */
    private static final String DRIVER = """
            import importlib.util, json, sys
            ref, args = sys.argv[1], sys.argv[2:]
            spec = importlib.util.spec_from_file_location("nab_score_reference", ref)
            m = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(m)
            calls = []
            original = m.best_score
            def recording(points, fnw):
                r = original(points, fnw)
                calls.append([r[0], r[1]])
                return r
            m.best_score = recording
            for k in range(0, len(args), 3):
                del calls[:]
                sys.argv = [ref] + args[k:k + 3]
                print("CASE %d" % (k // 3))
                m.main()
                print("BEST_SCORE_CALLS " + json.dumps(calls))
            """;

    /** One profile's numbers: raw, null raw, perfect raw, best threshold, normalised. */
    record Expected(double raw, double nullRaw, double perfectRaw, double threshold, double normalized) {}

    /** A corpus, a detector and the reference's numbers for the three profiles (standard, low FP, low FN). */
    record Case(
            String name,
            List<LabelledFile> corpus,
            Function<LabelledFile, double[]> detector,
            List<Expected> expected) {

        List<LabelledFile> scored() {
            return SyntheticCorpus.scored(corpus, detector);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Expected e(double raw, double nullRaw, double perfectRaw, double threshold, double normalized) {
        return new Expected(raw, nullRaw, perfectRaw, threshold, normalized);
    }

    // The expected values below came from nab_score.py (/work/shared/tools, run with Python 3.11.7) on these exact
    // corpora and detectors, written in the NAB layout by NabFiles.writeCorpus, via the DRIVER above (full
    // precision of its best_score results; normalised = 100 (raw - null) / (perfect - null) as its main() does).
    // To re-record after changing a corpus: run this test with -Dvigil.nab.print=true and paste the printed lines.
    // Main corpus: 5 counted windows (beta's straddling window counts, and the perfect detector misses it, since
    // its start row is probationary: detecting its later rows scores above 100, as main/late and main/straddle do).
    // main/wild is main/fewFalsePositives with scores outside [0, 1] and NaN (clamped: the same numbers).
    // Edge corpus: 4 counted windows (blocked's never open; unordered's second never opens; long's first starts
    // in its probationary period, capped at 750 rows) and the perfect detector's hits on the starts of the
    // unopened windows are false positives.
    static Stream<Case> cases() {
        List<LabelledFile> main = SyntheticCorpus.main();
        List<LabelledFile> edge = SyntheticCorpus.edge();
        return Stream.of(
                new Case(
                        "main/perfect",
                        main,
                        SyntheticCorpus::perfect,
                        List.of(
                                e(3.0, -5.0, 3.0, 1.0, 100.0),
                                e(3.0, -5.0, 3.0, 1.0, 100.0),
                                e(2.0, -10.0, 2.0, 1.0, 100.0))),
                new Case(
                        "main/null",
                        main,
                        SyntheticCorpus::zeros,
                        List.of(
                                e(-5.0, -5.0, 3.0, 1.1, 0.0),
                                e(-5.0, -5.0, 3.0, 1.1, 0.0),
                                e(-10.0, -10.0, 2.0, 1.1, 0.0))),
                new Case(
                        "main/probationaryOnly",
                        main,
                        SyntheticCorpus::probationaryOnly,
                        List.of(
                                e(-5.0, -5.0, 3.0, 1.1, 0.0),
                                e(-5.0, -5.0, 3.0, 1.1, 0.0),
                                e(-10.0, -10.0, 2.0, 1.1, 0.0))),
                new Case(
                        "main/fewFalsePositives",
                        main,
                        SyntheticCorpus::fewFalsePositives,
                        List.of(
                                e(1.8122753100645177, -5.0, 3.0, 1.0, 85.15344137580647),
                                e(0.6245506201290374, -5.0, 3.0, 1.0, 70.30688275161296),
                                e(0.8122753100645204, -10.0, 2.0, 1.0, 90.10229425053768))),
                new Case(
                        "main/wild",
                        main,
                        SyntheticCorpus::wild,
                        List.of(
                                e(1.8122753100645177, -5.0, 3.0, 1.0, 85.15344137580647),
                                e(0.6245506201290374, -5.0, 3.0, 1.0, 70.30688275161296),
                                e(0.8122753100645204, -10.0, 2.0, 1.0, 90.10229425053768))),
                new Case(
                        "main/late",
                        main,
                        SyntheticCorpus::late,
                        List.of(
                                e(4.383013645095248, -5.0, 3.0, 1.0, 117.28767056369061),
                                e(4.383013645095248, -5.0, 3.0, 1.0, 117.28767056369061),
                                e(4.383013645095248, -10.0, 2.0, 1.0, 119.8584470424604))),
                new Case(
                        "main/straddle",
                        main,
                        SyntheticCorpus::straddle,
                        List.of(
                                e(4.928249819493491, -5.0, 3.0, 1.0, 124.10312274366864),
                                e(4.928249819493491, -5.0, 3.0, 1.0, 124.10312274366864),
                                e(4.928249819493491, -10.0, 2.0, 1.0, 124.40208182911243))),
                new Case(
                        "main/noisy",
                        main,
                        SyntheticCorpus::noisy,
                        List.of(
                                e(4.069065544989627, -5.0, 3.0, 0.667, 113.36331931237034),
                                e(3.300377611583135, -5.0, 3.0, 0.667, 103.75472014478919),
                                e(4.069065544989627, -10.0, 2.0, 0.667, 117.24221287491355))),
                new Case(
                        "edge/perfect",
                        edge,
                        SyntheticCorpus::perfect,
                        List.of(
                                e(1.7799999999999998, -4.0, 1.7799999999999998, 1.0, 99.99999999999999),
                                e(1.5600000000000003, -4.0, 1.5600000000000003, 1.0, 99.99999999999999),
                                e(0.7800000000000007, -8.0, 0.7800000000000007, 1.0, 100.0))),
                new Case(
                        "edge/late",
                        edge,
                        SyntheticCorpus::late,
                        List.of(
                                e(1.2842583287296474, -4.0, 1.7799999999999998, 1.0, 91.42315447629149),
                                e(0.9542583287296484, -4.0, 1.5600000000000003, 1.0, 89.10536562463395),
                                e(0.2842583287296492, -8.0, 0.7800000000000007, 1.0, 94.3537395071714))),
                new Case(
                        "edge/noisy",
                        edge,
                        SyntheticCorpus::noisy,
                        List.of(
                                e(2.4721118545037823, -4.0, 1.7799999999999998, 0.932, 111.97425353812774),
                                e(1.482111854503783, -4.0, 1.5600000000000003, 0.932, 98.59913407380903),
                                e(2.4721118545037837, -8.0, 0.7800000000000007, 0.932, 119.27234458432552))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMatchesTheValuesRecordedFromTheReference(Case c) {
        assertThat(c.expected()).as("recorded reference values").hasSize(3);
        NabScorer.Result result = NabScorer.score(c.scored());
        for (int k = 0; k < 3; k++) {
            assertMatches(result.profiles().get(k), c.expected().get(k));
        }
    }

    /** One dynamic test per case; each is skipped (assumption) when python3 or the reference is not there. */
    @TestFactory
    Stream<DynamicTest> javaMatchesTheLiveReference(@TempDir Path dir) throws Exception {
        List<Case> cases = cases().toList();
        boolean available = Files.isRegularFile(REFERENCE) && pythonAvailable();
        List<NabFiles.Layout> layouts = new ArrayList<>();
        String[] perCase = new String[cases.size() + 1];
        if (available) {
            List<String> command =
                    new ArrayList<>(List.of("python3", dir.resolve("driver.py").toString(), REFERENCE.toString()));
            for (int k = 0; k < cases.size(); k++) {
                NabFiles.Layout layout = NabFiles.writeCorpus(
                        dir.resolve("corpus" + k), cases.get(k).scored(), Map.of());
                layouts.add(layout);
                command.addAll(List.of(
                        layout.labelsJson().toString(),
                        layout.dataDir().toString(),
                        layout.resultsDir().toString()));
            }
            Files.writeString(dir.resolve("driver.py"), DRIVER, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            perCase = out.split("(?m)^CASE \\d+$");
            assertThat(perCase).as(out).hasSize(cases.size() + 1);
        }
        String[] outputs = perCase;
        return IntStream.range(0, cases.size())
                .mapToObj(k -> DynamicTest.dynamicTest(cases.get(k).name(), () -> {
                    assumeTrue(
                            available,
                            "python3 or " + REFERENCE + " not available: only the recorded values are checked");
                    checkLive(cases.get(k), layouts.get(k), outputs[k + 1]);
                }));
    }

    private static void checkLive(Case c, NabFiles.Layout layout, String out) throws IOException {
        List<Expected> live = parse(out);
        NabScorer.Result java = NabScorer.score(c.scored());
        NabScorer.Result javaFromFiles =
                NabScorer.score(NabFiles.readCorpus(layout).files());
        StringBuilder literal = new StringBuilder("recorded values for " + c.name() + ": List.of(");
        for (int k = 0; k < 3; k++) {
            Expected x = live.get(k);
            literal.append(k == 0 ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "e(%s, %s, %s, %s, %s)",
                            x.raw(),
                            x.nullRaw(),
                            x.perfectRaw(),
                            x.threshold(),
                            x.normalized()));
        }
        String recorded = literal.append(")").toString();
        if (Boolean.getBoolean("vigil.nab.print")) {
            System.out.println(recorded);
        }
        for (int k = 0; k < 3; k++) {
            assertMatches(java.profiles().get(k), live.get(k));
            assertMatches(javaFromFiles.profiles().get(k), live.get(k));
        }
        Matcher last =
                Pattern.compile("nab standard=(\\S+) lowFP=(\\S+) lowFN=(\\S+)").matcher(out);
        assertThat(last.find()).as(out).isTrue();
        for (int k = 0; k < 3; k++) {
            assertThat(java.profiles().get(k).normalized())
                    .isCloseTo(Double.parseDouble(last.group(k + 1)), within(0.0051));
        }
        assertThat(c.expected()).as("recorded values; " + recorded).hasSize(3);
        for (int k = 0; k < 3; k++) {
            Expected was = c.expected().get(k);
            Expected now = live.get(k);
            String why = "the reference's numbers should still be the recorded ones; " + recorded;
            assertThat(now.raw()).as(why).isCloseTo(was.raw(), within(EXACT));
            assertThat(now.nullRaw()).as(why).isCloseTo(was.nullRaw(), within(EXACT));
            assertThat(now.perfectRaw()).as(why).isCloseTo(was.perfectRaw(), within(EXACT));
            assertThat(now.threshold()).as(why).isEqualTo(was.threshold());
            assertThat(now.normalized()).as(why).isCloseTo(was.normalized(), within(EXACT));
        }
    }

    private static void assertMatches(NabScorer.ProfileScore actual, Expected expected) {
        String what = actual.profile().name();
        assertThat(actual.raw()).as(what + " raw").isCloseTo(expected.raw(), within(EXACT));
        assertThat(actual.nullRaw()).as(what + " null").isCloseTo(expected.nullRaw(), within(EXACT));
        assertThat(actual.perfectRaw()).as(what + " perfect").isCloseTo(expected.perfectRaw(), within(EXACT));
        assertThat(actual.threshold()).as(what + " threshold").isEqualTo(expected.threshold());
        assertThat(actual.normalized()).as(what + " normalized").isCloseTo(expected.normalized(), within(EXACT));
    }

    /** The reference's full-precision results, checked against the lines it printed. */
    private static List<Expected> parse(String out) throws IOException {
        Matcher calls = Pattern.compile("BEST_SCORE_CALLS (.*)").matcher(out);
        assertThat(calls.find()).as(out).isTrue();
        JsonNode json = new ObjectMapper().readTree(calls.group(1));
        assertThat(json.size()).as(out).isEqualTo(9);
        Map<String, Expected> byProfile = new HashMap<>();
        String[] names = {"standard", "reward_low_FP_rate", "reward_low_FN_rate"};
        for (int k = 0; k < 3; k++) {
            double d = json.get(3 * k).get(0).asDouble();
            double threshold = json.get(3 * k).get(1).asDouble();
            double nl = json.get(3 * k + 1).get(0).asDouble();
            double pf = json.get(3 * k + 2).get(0).asDouble();
            byProfile.put(names[k], e(d, nl, pf, threshold, 100.0 * (d - nl) / (pf - nl)));
        }
        Pattern line = Pattern.compile(
                "(?m)^(\\S+)\\s+raw=(\\S+) null=(\\S+) perfect=(\\S+) threshold=(\\S+) normalized=(\\S+)$");
        Matcher m = line.matcher(out);
        int lines = 0;
        while (m.find()) {
            Expected x = byProfile.get(m.group(1));
            assertThat(x).as(m.group()).isNotNull();
            assertThat(x.raw()).isCloseTo(Double.parseDouble(m.group(2)), within(0.00051));
            assertThat(x.nullRaw()).isCloseTo(Double.parseDouble(m.group(3)), within(0.00051));
            assertThat(x.perfectRaw()).isCloseTo(Double.parseDouble(m.group(4)), within(0.00051));
            assertThat(x.threshold()).isCloseTo(Double.parseDouble(m.group(5)), within(0.000051));
            assertThat(x.normalized()).isCloseTo(Double.parseDouble(m.group(6)), within(0.0051));
            lines++;
        }
        assertThat(lines).as(out).isEqualTo(3);
        return List.of(byProfile.get(names[0]), byProfile.get(names[1]), byProfile.get(names[2]));
    }

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
