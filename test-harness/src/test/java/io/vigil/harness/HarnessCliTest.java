package io.vigil.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.trainer.cli.CommandLineConventions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the command line, without a broker. */
class HarnessCliTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("generate").contains("evaluate");
        assertThat(run("generate", "--help").out()).contains("--anomaly-rate").contains("--garbage-fraction");
    }

    @Test
    void wrongUsageExitsTwoWithAReason() {
        assertThat(run()).satisfies(r -> {
            assertThat(r.code()).isEqualTo(HarnessCli.USAGE);
            assertThat(r.err()).contains("Missing subcommand");
        });
        assertThat(run("generate")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("Nothing to write");
        });
        assertThat(run("generate", "--topic", "readings", "--truth", "t.json")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--bootstrap-servers and --topic go together");
        });
        assertThat(run("generate", "--events", "300", "--truth", "t.json")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("need at least 884 events per entity");
        });
        assertThat(run("generate", "--anomalies-per-entity", "2", "--anomaly-rate", "1", "--truth", "t.json")
                        .code())
                .isEqualTo(2);
        assertThat(run("generate", "--kinds", "SPIKE,BOGUS", "--truth", "t.json")
                        .code())
                .isEqualTo(2);
        assertThat(run("evaluate", "--topic", "alerts").err()).contains("Missing required options");
        assertThat(run("frobnicate").code()).isEqualTo(2);
    }

    @Test
    void wrongUsageIsOneLineSayingWhatWasWrongAndPointingToHelp() {
        CliRun unknown = run("generate", "--entitiez", "3", "--truth", "t.json");
        assertThat(unknown.code()).isEqualTo(HarnessCli.USAGE);
        assertThat(unknown.err())
                .isEqualTo("vigil-harness generate: Unknown options: '--entitiez', '3' (did you mean"
                        + " --entities or --entity-prefix?); see 'vigil-harness generate --help'"
                        + System.lineSeparator());
        for (String[] args : List.of(
                new String[] {"generate", "--entities", "x"},
                new String[] {"generate"},
                new String[] {"evaluate", "--topic", "alerts"},
                new String[] {},
                new String[] {"frobnicate"})) {
            CliRun r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(HarnessCli.USAGE);
            assertThat(r.err().lines())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("vigil-harness")
                    .contains("; see 'vigil-harness");
            assertThat(r.out()).isEmpty();
        }
        assertThat(run("generate", "--entities", "x").err()).contains("'x' is not an int");
    }

    @Test
    void versionNamesTheBuildAndItsCommit() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"generate", "--version"})) {
            CliRun v = run(args);
            assertThat(v.code()).isZero();
            assertThat(v.out().strip())
                    .matches("vigil-harness \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\((git commit [0-9a-f]{7,}"
                            + "(, with uncommitted changes)?|git commit unknown: built outside a git checkout)\\)");
        }
    }

    @Test
    void helpTextsEndTheirSentencesAndSayEachDefaultOnce() {
        CommandLine cli = HarnessCli.commandLine();
        // corpus's help is rewritten with the corpus command (issue 19's scoring part), not here
        assertThat(CommandLineConventions.helpProblems(cli))
                .filteredOn(p -> !p.startsWith("vigil-harness corpus"))
                .isEmpty();
    }

    @Test
    void evaluateWithAMissingTruthFileIsWrongUsage(@TempDir Path dir) {
        CliRun r = run(
                "evaluate",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--topic",
                "alerts",
                "--truth",
                dir.resolve("missing.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing.json");
    }

    @Test
    void generateTakesChannelNamesAndAStartTime(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("live.csv");
        CliRun r = run(
                "generate",
                "--entities",
                "1",
                "--events",
                "100",
                "--anomalies-per-entity",
                "0",
                "--channels",
                "a,b,c",
                "--start",
                "2026-03-01T00:00:00Z",
                "--interval-ms",
                "500",
                "--csv",
                csv.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("timestamp,entity,a,b,c,label");
        assertThat(lines.get(1))
                .startsWith(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() + ",sensor-001,");
        assertThat(lines.get(2))
                .startsWith((Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() + 500) + ",");
    }

    @Test
    void generateToFilesOnly(@TempDir Path dir) throws Exception {
        CliRun r = run(
                "generate",
                "--entities",
                "2",
                "--events",
                "600",
                "--anomalies-per-entity",
                "2",
                "--kinds",
                "spike,stuck",
                "--truth",
                dir.resolve("t.json").toString(),
                "--labels",
                dir.resolve("l.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("generated 1200 readings of 2 entities")
                .contains("4 anomaly windows (SPIKE 2, STUCK 2)")
                .contains("labels    1200 events");
        assertThat(Files.readAllLines(dir.resolve("l.csv"))).hasSize(1_201);
    }
}
