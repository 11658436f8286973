package io.vigil.harness.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.trainer.evaluation.corpus.NabFiles;
import io.vigil.trainer.evaluation.corpus.NabScorer;
import io.vigil.trainer.history.HistoryOptions;
import io.vigil.trainer.training.TrainingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus command's protocol through a real Kafka broker and the Flink job on a MiniCluster, on a
 * small NAB-shaped corpus: two files years apart, one with a repeated timestamp, a row out of order and a
 * gap of a day. Every row is scored once, in file order, by position; nothing is dead-lettered; the results
 * are laid out as NAB's, so NAB's scoring reads them.
 */
class CorpusRunITCase {

    private static final int ROWS = 400;
    private static final int WINDOW = 8;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    Path dir;

    @Test
    void everyRowIsScoredOnceInFileOrderWhateverItsTimestampSays() throws Exception {
        Path data = dir.resolve("data");
        List<String> a = write(data.resolve("cat/a.csv"), LocalDateTime.of(2014, 4, 1, 0, 0), 1);
        List<String> b = write(data.resolve("cat/b.csv"), LocalDateTime.of(2016, 9, 1, 0, 0), 2);
        Path labels = Files.writeString(
                dir.resolve("windows.json"),
                "{\"cat/a.csv\": [[\"" + a.get(300) + ".000000\", \"" + a.get(340) + ".000000\"]], \"cat/b.csv\": []}");
        CorpusOptions o = new CorpusOptions(
                List.of(data.resolve("cat/a.csv"), data.resolve("cat/b.csv")),
                data,
                HistoryOptions.defaults().withLabelColumn(HistoryOptions.NO_LABEL),
                labels,
                0,
                CorpusOptions.NAB_FIT_FRACTION,
                CorpusOptions.NAB_FIT_MAX_ROWS,
                List.of(),
                0,
                TrainingConfig.builder()
                        .modelId("corpus")
                        .windowLength(WINDOW)
                        .sequenceLength(16)
                        .lstmHidden(8)
                        .aeHidden(8, 4, 8)
                        .maxEpochs(3)
                        .warmupEvents(4)
                        .normaliserEvents(16)
                        .build(),
                Map.of(),
                32,
                dir.resolve("out"));

        CorpusRun.Result run = CorpusRun.run(o, new PrintWriter(new StringWriter()));

        assertThat(run.deadLettered())
                .as("nothing dead-lettered: no row is late by position")
                .isZero();
        for (CorpusRun.FileResult f : run.files()) {
            // a key is scored from its window's W-th row on; every later row exactly once
            assertThat(f.scoreRecords()).as(f.name()).isEqualTo(ROWS - (WINDOW - 1));
            for (int i = 0; i < ROWS; i++) {
                assertThat(f.hasScore()[i]).as("%s row %d scored", f.name(), i).isEqualTo(i >= WINDOW - 1);
            }
        }
        CorpusReport.Metrics m = CorpusReport.metrics(run, o);
        CorpusReport.write(run, m, o, "corpus-it");
        Path results = o.output().resolve("results");
        // the results keep the file's own timestamps, in file order: the repeated one, the one out of order
        assertThat(NabFiles.readColumn(results.resolve("cat/a.csv"), "timestamp"))
                .containsExactlyElementsOf(a);
        assertThat(NabFiles.readColumn(results.resolve("cat/a.csv"), "alert_open"))
                .hasSize(ROWS);
        NabScorer.Result nab =
                NabScorer.score(NabFiles.readCorpus(labels, data, results).files());
        assertThat(nab.standard().normalized()).isEqualTo(m.nab().standard().normalized());
        assertThat(m.topTiedShare()).isLessThan(0.01);
    }

    /** ROWS rows of a noisy wave every 5 minutes from {@code start}; file 1 gets a repeat, a row out of order and a gap. */
    private static List<String> write(Path file, LocalDateTime start, long seed) throws Exception {
        Files.createDirectories(file.getParent());
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        List<String> stamps = new java.util.ArrayList<>();
        LocalDateTime t = start;
        for (int i = 0; i < ROWS; i++) {
            LocalDateTime stamp = t;
            if (seed == 1 && i == 200) {
                stamp = t.minusMinutes(5); // the same timestamp as row 199
            } else if (seed == 1 && i == 250) {
                stamp = t.minusMinutes(30); // earlier than the row before it
            } else if (seed == 1 && i == 260) {
                t = t.plusDays(1); // a gap of a day from here on
                stamp = t;
            }
            String s = TS.format(stamp);
            stamps.add(s);
            double v = 50 + 10 * Math.sin(i / 12.0) + r.nextGaussian() + (seed == 1 && i >= 310 && i < 330 ? 40 : 0);
            csv.append(s).append(',').append(v).append('\n');
            t = t.plusMinutes(5);
        }
        Files.writeString(file, csv);
        return stamps;
    }
}
