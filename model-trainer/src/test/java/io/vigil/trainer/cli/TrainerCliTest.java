package io.vigil.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedTestBundle;
import io.vigil.trainer.history.EntitySeries;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCliTest {

    @TempDir
    Path dir;

    /** Exit code and what was printed. */
    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static final String[] TINY = {
        "train",
        "--model-id",
        "cli-model",
        "--version",
        "v1",
        "--window-length",
        "8",
        "--sequence-length",
        "32",
        "--lstm-hidden",
        "8",
        "--ae-hidden",
        "16,4,16",
        "--max-epochs",
        "3",
        "--warmup-events",
        "8",
        "--alert-threshold",
        "2.5",
        "--lstm-learning-rate",
        "0.02",
        "--normalisation",
        "global"
    };

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Path skabFile(String name, int rows, long seed, int... anomalies) throws IOException {
        boolean[] labels = new boolean[rows];
        EntitySeries s = SyntheticData.series(name, rows, 3, seed, labels);
        for (int a : anomalies) {
            labels[a] = true;
            s.values()[a][1] += 12;
        }
        Path f = dir.resolve(name + ".csv");
        SyntheticData.writeSkabCsv(f, s);
        return f;
    }

    @Test
    void helpListsTheCommandsAndEachCommandShowsItsDefaults() {
        Run top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("Usage: vigil-trainer", "train", "evaluate", "publish");

        Run train = run("train", "--help");
        assertThat(train.code()).isZero();
        assertThat(train.out())
                .contains(
                        "--window-length",
                        "Default: 32",
                        "--alert-threshold",
                        "Default: 3.0",
                        "--ae-hidden",
                        "Default: 64,16,64",
                        "--normalisation",
                        "Default: per-key",
                        "--output");
        assertThat(run("evaluate", "--help").code()).isZero();
        assertThat(run("publish", "--help").out()).contains("--no-announce", "--announce-only", "vigil-model-updates");
        assertThat(run().code()).isEqualTo(2);
    }

    @Test
    void publishTakesKafkaCredentialsFromAFileAndRefusesThemOnTheCommandLine() {
        String[] publish = {
            "publish",
            "--bundle",
            dir.toString(),
            "--store",
            dir.resolve("store").toString(),
            "--bootstrap-servers",
            "127.0.0.1:1"
        };
        Run onTheLine = run(concat(
                publish,
                "--kafka-property",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required password=\"pw\";"));
        assertThat(onTheLine.code()).isEqualTo(2);
        assertThat(onTheLine.err())
                .startsWith("vigil-trainer publish: --kafka-property: sasl.jaas.config carries a credential: put it in"
                        + " a Kafka client properties file (--kafka-properties-file)")
                .doesNotContain("pw");

        Run noFile = run(concat(
                publish,
                "--kafka-properties-file",
                dir.resolve("client.properties").toString()));
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err())
                .contains("Kafka client properties file " + dir.resolve("client.properties") + " does not exist");
        assertThat(run("publish", "--help").out()).contains("--kafka-properties-file");
    }

    @Test
    void wrongUsageIsOneLineNamingTheOffendingArgumentAndPointingToHelp() {
        Run unknown = run("train", "--windw-length", "4", "-o", dir.resolve("b").toString(), "x.csv");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err())
                .isEqualTo("vigil-trainer train: Unknown option: '--windw-length' (did you mean"
                        + " --window-length?); see 'vigil-trainer train --help'" + System.lineSeparator());

        Run type =
                run("train", "--window-length", "many", "-o", dir.resolve("b").toString(), "x.csv");
        assertThat(type.code()).isEqualTo(2);
        assertThat(type.err().lines())
                .singleElement()
                .asString()
                .contains("'many' is not an int", "--window-length", "see 'vigil-trainer train --help'");

        Run range = run(
                "train", "--validation-fraction", "1.5", "-o", dir.resolve("b").toString(), "x.csv");
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err().lines())
                .singleElement()
                .asString()
                .contains("--validation-fraction: validationFraction must be in (0, 1), is 1.5");

        Run missing = run("train", "x.csv");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().lines())
                .singleElement()
                .asString()
                .contains("Missing required option: '--output=<dir>'");

        Run publish = run("publish", "--announce-only", "--store", dir.toString());
        assertThat(publish.code()).isEqualTo(2);
        assertThat(publish.err().lines())
                .singleElement()
                .asString()
                .contains("--announce-only needs --model-id", "see 'vigil-trainer publish --help'");
    }

    @Test
    void versionNamesTheBuildAndItsCommit() {
        Run v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out().strip())
                .matches(
                        "vigil-trainer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(git commit [0-9a-f]{7,}"
                                + "(, with uncommitted changes)?\\)|vigil-trainer .* \\(git commit unknown: built outside a git checkout\\)");
    }

    @Test
    void helpTextsEndTheirSentencesAndSayEachDefaultOnce() {
        assertThat(CommandLineConventions.helpProblems(TrainerCli.commandLine()))
                .isEmpty();
        assertThat(run("train", "--help").out()).contains("Default: per-key").doesNotContain("Default: []");
    }

    @Test
    void aMissingOrMalformedInputExitsOneNamingThePathWithoutAStackTrace() throws IOException {
        Path absent = dir.resolve("absent.csv");
        Run missing = run(concat(TINY, "-o", dir.resolve("b").toString(), absent.toString()));
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("file not found: " + absent).doesNotContain("\tat ");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp;x\n1583748873;1.0\n1583748874;one\n");
        Run malformed = run(concat(TINY, "-o", dir.resolve("b").toString(), bad.toString()));
        assertThat(malformed.code()).isEqualTo(1);
        assertThat(malformed.err())
                .contains(bad + " line 3, column 'x': 'one' is not a number")
                .contains("--verbose")
                .doesNotContain("\tat ");

        Run verbose = run(concat(TINY, "--verbose", "-o", dir.resolve("b").toString(), bad.toString()));
        assertThat(verbose.code()).isEqualTo(1);
        assertThat(verbose.err()).contains("HistoryException", "\tat io.vigil.trainer.history.");
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedBeforeTraining() throws IOException {
        Path out = Files.createDirectories(dir.resolve("used"));
        Files.writeString(out.resolve("manifest.json"), "{}");
        Run r = run(concat(TINY, "-o", out.toString(), skabFile("a", 50, 1).toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--output: " + out + " is not empty");
        assertThat(r.out()).doesNotContain("epoch");
    }

    @Test
    void trainEvaluateAndPublishFromTheCommandLine() throws IOException {
        Path a = skabFile("valve-a", 500, 11, 450, 470);
        Path b = skabFile("valve-b", 500, 12, 460);
        Path bundle = dir.resolve("bundle");

        Run train = run(concat(TINY, "--exclude", "changepoint", "-o", bundle.toString(), a.toString(), b.toString()));

        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out())
                .contains(
                        "lstm  epoch  1/3",
                        "ae    epoch  3/3",
                        "bundle      " + bundle,
                        "model       cli-model version v1",
                        "validation  200 events (3 anomalous)");
        assertThat(bundle.resolve("manifest.json")).exists();

        Path held = skabFile("valve-c", 300, 13, 200, 250);
        Path report = dir.resolve("report");
        Run evaluate = run(
                "evaluate",
                "--bundle",
                bundle.toString(),
                "--exclude",
                "changepoint",
                "--output",
                report.toString(),
                held.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("285 events (2 anomalous)");
        assertThat(Files.readAllLines(report.resolve("scores.csv"))).hasSize(1 + 285);
        assertThat(report.resolve("evaluation.json")).exists();

        Path store = dir.resolve("store");
        Run publish = run("publish", "--bundle", bundle.toString(), "--store", store.toString(), "--no-announce");
        assertThat(publish.code()).as(publish.err()).isZero();
        assertThat(publish.out()).contains("published   cli-model version v1", "announced   no (--no-announce)");
        assertThat(Files.readString(store.resolve("cli-model/LATEST")).trim()).isEqualTo("v1");

        Run again = run("publish", "--bundle", bundle.toString(), "--store", store.toString(), "--no-announce");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("version v1 of cli-model is already published", "train a new version");
    }

    @Test
    void trainingOnNormalOnlyHistoryReportsTheFalseAlarmRateNotPrecisionAndRecall() throws IOException {
        Path a = skabFile("normal-a", 500, 21);
        Path b = skabFile("normal-b", 500, 22);

        Run train = run(concat(
                TINY, "--exclude", "changepoint", "-o", dir.resolve("normal").toString(), a.toString(), b.toString()));

        assertThat(train.code()).as(train.err()).isZero();
        String validation = train.out()
                .lines()
                .filter(l -> l.startsWith("validation"))
                .findFirst()
                .orElseThrow();
        assertThat(validation)
                .matches("validation  200 events, no labelled anomalies: false-alarm rate 0\\.\\d{4}"
                        + " \\(\\d+ of 200 normal events over the threshold\\); precision, recall and F1 need labelled anomalies"
                        + " \\(--evaluate-on\\)");
        assertThat(train.out()).doesNotContain("precision 0.000", "recall 0.000", "F1 0.000");
    }

    @Test
    void aCorruptBundleExitsOneNamingTheFileAndWhatToDo() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("corrupt"));
        for (String f : List.of("manifest.json", "integrity.json", "lstm.zip", "autoencoder.zip")) {
            Files.copy(TrainedTestBundle.bundle().resolve(f), copy.resolve(f));
        }
        Files.write(copy.resolve("autoencoder.zip"), new byte[] {1, 2, 3});
        Path labelled = skabFile("x", 60, 3);

        Run r = run(
                "evaluate",
                "--bundle",
                copy.toString(),
                "--exclude",
                "changepoint",
                "-o",
                dir.resolve("r").toString(),
                labelled.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("autoencoder.zip has SHA-256", "write it again")
                .doesNotContain("\tat ");
    }

    @Test
    void aThresholdEditedInABundleIsRefusedByEvaluateAndPublishNamingTheField() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("edited"));
        for (String f : List.of("manifest.json", "integrity.json", "lstm.zip", "autoencoder.zip")) {
            Files.copy(TrainedTestBundle.bundle().resolve(f), copy.resolve(f));
        }
        Path manifest = copy.resolve("manifest.json");
        String edited = Files.readString(manifest).replaceFirst("\"threshold\" : [0-9.]+", "\"threshold\" : 8.5");
        assertThat(edited).isNotEqualTo(Files.readString(manifest));
        Files.writeString(manifest, edited);
        Path labelled = skabFile("y", 60, 4);

        Run evaluate = run(
                "evaluate",
                "--bundle",
                copy.toString(),
                "--exclude",
                "changepoint",
                "-o",
                dir.resolve("r").toString(),
                labelled.toString());
        Run publish = run(
                "publish",
                "--bundle",
                copy.toString(),
                "--store",
                dir.resolve("store").toString(),
                "--no-announce");

        for (Run r : List.of(evaluate, publish)) {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err())
                    .contains(
                            copy.toString(),
                            "manifest.json was changed after the bundle was written",
                            "field alert.threshold changed")
                    .doesNotContain("\tat ");
        }
        assertThat(dir.resolve("store/cli-model")).doesNotExist();
    }
}
