package io.vigil.harness.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionHistory;
import io.vigil.trainer.training.TrainingConfig;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction corpus's fit part and the checks it makes before anything is trained. */
class TransactionCorpusRunTest {

    @TempDir
    Path dir;

    @Test
    void theFitPartIsTheFirstShareOfTheTimeTheFileSpansUnlessACutIsGiven() {
        TransactionHistory h = new TransactionHistory(
                List.of(tx("a", 1_000), tx("b", 3_001), tx("c", 2_000)), null, null, List.of("test"));

        assertThat(TransactionCorpusRun.cut(h, options(null, 0.5))).isEqualTo(2_001);
        assertThat(TransactionCorpusRun.cut(h, options(null, 0.25))).isEqualTo(1_501);
        assertThat(TransactionCorpusRun.cut(h, options(Instant.ofEpochMilli(2_500), 0.5)))
                .isEqualTo(2_500);
        assertThatThrownBy(() -> options(null, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fit-share must be in (0, 1)");
    }

    @Test
    void aFileWithoutLabelsOrWithoutFraudToMeasureFailsBeforeTrainingSayingWhatToDo() throws Exception {
        Path unlabelled = Files.writeString(
                dir.resolve("u.csv"),
                "transaction_id,account_id,timestamp,amount,merchant_id\n"
                        + "t1,a,2026-01-01T00:00:00Z,10,m\nt2,a,2026-01-02T00:00:00Z,12,m\n");
        assertThatThrownBy(() -> TransactionCorpusRun.run(
                        options(unlabelled, null, 0.5), new java.io.PrintWriter(new StringWriter())))
                .hasMessageContaining("no label column: name it with --label-column");

        Path early = Files.writeString(
                dir.resolve("e.csv"),
                "transaction_id,account_id,timestamp,amount,merchant_id,label\n"
                        + "t1,a,2026-01-01T00:00:00Z,10,m,1\nt2,a,2026-01-02T00:00:00Z,12,m,0\n"
                        + "t3,a,2026-01-03T00:00:00Z,11,m,0\n");
        StringWriter out = new StringWriter();
        assertThatThrownBy(() -> TransactionCorpusRun.run(options(early, null, 0.5), new java.io.PrintWriter(out)))
                .hasMessageContaining("have 0 fraud and 2 genuine ones")
                .hasMessageContaining("--fit-share or --fit-until");
        assertThat(out.toString()).doesNotContain("epoch");
    }

    private TransactionCorpusRun.Options options(Instant fitUntil, double share) {
        return options(dir.resolve("none.csv"), fitUntil, share);
    }

    private TransactionCorpusRun.Options options(Path file, Instant fitUntil, double share) {
        return new TransactionCorpusRun.Options(
                List.of(file),
                new TransactionColumns(null, Map.of(), null),
                fitUntil,
                share,
                TrainingConfig.builder().build(),
                100,
                0.01,
                null,
                Map.of(),
                dir.resolve("out"));
    }

    private static TransactionEvent tx(String id, long time) {
        return new TransactionEvent(id, "acc", time, 10, "EUR", "m", "DE", "5411", "pos");
    }
}
