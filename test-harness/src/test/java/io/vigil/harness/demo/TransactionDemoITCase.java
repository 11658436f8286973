package io.vigil.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.CliRun;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --stream transactions} end to end at a small size (a real broker, training, publishing, the
 * job on a MiniCluster): the summary's numbers agree with the alerts it printed as they committed (opened,
 * resolved, opened at a fraud transaction), with the generator's injected incidents and frauds per
 * pattern, with the bad records sent (all dead-lettered) and the scores expected (each account once its
 * window is full); every OPEN line carries the job's explanation and the transaction it is about.
 */
class TransactionDemoITCase {

    private static final Pattern ALERT = Pattern.compile("^    ALERT \\S+ \\S+ {2}(OPEN|UPDATE|RESOLVED)\\s.*$");
    private static final Pattern ABOUT = Pattern.compile("\\[(t\\d+), ");

    @TempDir
    Path dir;

    @Test
    void theSummaryAgreesWithTheAlertsCommittedAndWhatWasInjected() throws Exception {
        Path work = dir.resolve("demo");
        CliRun run = CliRun.of(
                "demo",
                "--stream",
                "transactions",
                "--work-dir",
                work.toString(),
                "--accounts",
                "60",
                "--days",
                "24",
                "--fraud-rate",
                "300",
                "--rate",
                "4000",
                "--garbage",
                "0.01",
                "--max-epochs",
                "12",
                "--seed",
                "5");
        System.out.println(run.out());
        assertThat(run.code()).as(run.err()).isZero();

        TransactionDemoOptions options = new TransactionDemoOptions(work, 60, 24, 300, 4000, 0.01, 2, 12, 5);
        TransactionGenerator.Generated g = TransactionGenerator.generate(options.generator());
        Map<String, Labelled> byId = new HashMap<>();
        g.transactions().forEach(l -> byId.put(l.tx().transactionId(), l));

        long opened = 0;
        long resolved = 0;
        long openedAtFraud = 0;
        for (String line : run.out().split("\\R")) {
            Matcher m = ALERT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("RESOLVED")) {
                resolved++;
                continue;
            }
            Matcher about = ABOUT.matcher(line);
            assertThat(about.find()).as("the transaction of " + line).isTrue();
            assertThat(byId).containsKey(about.group(1));
            assertThat(line).as("an explanation in words").containsPattern("score \\d\\.\\d{4} \\S+ +\\S+.*\\[t");
            if (m.group(1).equals("OPEN")) {
                opened++;
                openedAtFraud += byId.get(about.group(1)).fraud() ? 1 : 0;
            }
        }

        JsonNode report =
                new ObjectMapper().readTree(work.resolve("report.json").toFile());
        assertThat(report.get("alertsOpened").asLong()).isEqualTo(opened).isPositive();
        assertThat(report.get("alertsResolved").asLong()).isEqualTo(resolved);
        assertThat(report.get("alertsOpenedAtFraud").asLong()).isEqualTo(openedAtFraud);
        assertThat(report.get("transactionsSent").asLong())
                .isEqualTo(g.transactions().size());
        assertThat(report.get("garbageSent").asLong()).isPositive();
        assertThat(report.get("deadLettered").asLong())
                .isEqualTo(report.get("garbageSent").asLong());
        assertThat(report.get("scored").asLong())
                .isEqualTo(report.get("scoresExpected").asLong())
                .isEqualTo(g.expectedScores(16));

        Map<String, int[]> injected = new HashMap<>();
        g.incidents().forEach(i -> injected.computeIfAbsent(i.pattern().label(), p -> new int[1])[0]++);
        Map<String, long[]> frauds = new HashMap<>();
        g.transactions().stream()
                .filter(Labelled::fraud)
                .forEach(l -> frauds.computeIfAbsent(l.pattern().label(), p -> new long[1])[0]++);
        long found = 0;
        for (JsonNode p : report.get("patterns")) {
            String name = p.get("pattern").asText();
            assertThat(p.get("incidents").asInt()).as(name).isEqualTo(injected.get(name)[0]);
            assertThat(p.get("frauds").asLong()).as(name).isEqualTo(frauds.get(name)[0]);
            assertThat(p.get("incidentsFound").asInt())
                    .isBetween(0, p.get("incidents").asInt());
            assertThat(p.get("fraudsAlerted").asLong())
                    .isBetween(0L, p.get("frauds").asLong());
            assertThat(run.out())
                    .contains(String.format(
                            "%d of %d incidents found",
                            p.get("incidentsFound").asInt(), p.get("incidents").asInt()));
            found += p.get("incidentsFound").asInt();
        }
        assertThat(report.get("patterns")).hasSize(injected.size());
        assertThat(found).as("incidents found").isPositive();
        assertThat(openedAtFraud).as("alerts opened at a fraud").isPositive();
        assertThat(List.of(run.out().split("\\R")))
                .anySatisfy(l -> assertThat(l).startsWith("Summary"));
    }
}
