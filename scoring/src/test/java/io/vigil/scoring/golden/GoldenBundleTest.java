package io.vigil.scoring.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.scoring.bundle.BundleManifest;
import io.vigil.scoring.bundle.BundleReader;
import io.vigil.scoring.bundle.LocalBundleFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundle format's compatibility promise: each bundle the trainer wrote (committed under
 * {@code src/test/resources/golden/format-N}, one per format version still read, see the README there)
 * is read by today's code and scores a fixed input to the scores recorded when it was written. A change that fails this test either breaks old
 * bundles (fix it, or read the old format) or changes what a score means (a new format version with a
 * new golden bundle beside this one, never an edited one).
 */
class GoldenBundleTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** Room for the last bit of {@code Math.exp}/{@code log}, which may differ between CPUs and JVMs. */
    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest(name = "format {0}")
    @ValueSource(ints = {3, 4})
    void todaysCodeReadsTheGoldenBundleAndScoresTheFixedInputAsRecorded(int format) throws Exception {
        Path golden = GOLDEN.resolve("format-" + format);
        List<GoldenScores.Row> expected = GoldenScores.read(golden.resolve("scores.csv"));
        List<GoldenScores.Row> actual = GoldenScores.score(golden.resolve("bundle"), golden.resolve("input.csv"));

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            GoldenScores.Row e = expected.get(i);
            GoldenScores.Row a = actual.get(i);
            String at = e.key() + " row " + e.row();
            assertThat(a.key()).as(at).isEqualTo(e.key());
            assertThat(a.row()).as(at).isEqualTo(e.row());
            assertThat(a.scored()).as(at).isEqualTo(e.scored());
            assertThat(a.score()).as(at + " score").isCloseTo(e.score(), within(TOLERANCE));
            assertThat(a.surprise())
                    .as(at + " surprise")
                    .isCloseTo(e.surprise(), within(TOLERANCE * Math.max(1, Math.abs(e.surprise()))));
            assertThat(a.anomalous()).as(at + " alert open").isEqualTo(e.anomalous());
            assertThat(a.transition()).as(at + " alert transition").isEqualTo(e.transition());
        }
    }

    @ParameterizedTest(name = "format {0}")
    @ValueSource(ints = {3, 4})
    void theFixtureExercisesScoringAndAlerts(int format) throws Exception {
        Path golden = GOLDEN.resolve("format-" + format);
        List<GoldenScores.Row> expected = GoldenScores.read(golden.resolve("scores.csv"));
        BundleManifest manifest = BundleReader.verify(new LocalBundleFiles(golden.resolve("bundle")), null, null);

        // a fixture of unscored rows or of no alert would let a broken scorer or lifecycle pass the test above
        assertThat(manifest.formatVersion()).isEqualTo(format);
        assertThat(manifest.scoring().aeHopPhase())
                .as("format 4 bundles reconstruct at each key's own offset; format 3 had no such field")
                .isEqualTo(format >= 4 ? BundleManifest.ScoringSpec.PER_KEY_PHASE : null);
        assertThat(expected.stream().filter(GoldenScores.Row::scored).count()).isGreaterThan(1000);
        assertThat(expected.stream().filter(r -> r.transition().equals("OPEN")).count())
                .isGreaterThanOrEqualTo(2);
        assertThat(expected.stream()
                        .mapToDouble(GoldenScores.Row::score)
                        .distinct()
                        .count())
                .isGreaterThan(1000);
    }
}
