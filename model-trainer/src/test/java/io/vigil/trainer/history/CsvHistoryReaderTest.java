package io.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvHistoryReaderTest {

    @TempDir
    Path dir;

    private static final String SKAB_HEADER =
            "datetime;Accelerometer1RMS;Current;Volume Flow RateRMS;anomaly;changepoint\n";

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsSkabLikeSemicolonFilesWithLocalTimesLabelsAndExcludedColumns() throws IOException {
        // rows out of order on purpose: the reader sorts by time
        Path f = write(
                "valve1/0.csv",
                SKAB_HEADER
                        + "2020-03-09 10:14:34;0.0261697;1.35399;32.0;0.0;0.0\n"
                        + "2020-03-09 10:14:33;0.0265878;1.3302;32.0;0.0;0.0\n"
                        + "2020-03-09 10:14:35;0.026199;1.54006;31.0;1.0;1.0\n");

        History h = HistoryReader.read(f, HistoryOptions.defaults().withExclude(List.of("changepoint")));

        assertThat(h.features().names()).containsExactly("Accelerometer1RMS", "Current", "Volume Flow RateRMS");
        assertThat(h.entities()).isEqualTo(1);
        EntitySeries s = h.series().get(0);
        assertThat(s.entity()).isEqualTo("0");
        long t0 = Instant.parse("2020-03-09T10:14:33Z").toEpochMilli();
        assertThat(s.timestamps()).containsExactly(t0, t0 + 1000, t0 + 2000);
        assertThat(s.values()[0]).containsExactly(0.0265878, 1.3302, 32.0);
        assertThat(s.values()[2]).containsExactly(0.026199, 1.54006, 31.0);
        assertThat(s.labels()).containsExactly(false, false, true);
    }

    @Test
    void explicitSeparatorValueColumnsAndTimeZone() throws IOException {
        Path f = write("a.csv", SKAB_HEADER + "2020-03-09 10:14:33;1;2;3;0;0\n2020-03-09 10:14:34;4;5;6;0;0\n");

        History h = HistoryReader.read(
                f,
                HistoryOptions.defaults()
                        .withSeparator(';')
                        .withValueColumns(List.of("Current", "Accelerometer1RMS"))
                        .withZone(HistoryOptions.parseZone("+03:00")));

        assertThat(h.features().names()).containsExactly("Current", "Accelerometer1RMS");
        assertThat(h.series().get(0).values()[1]).containsExactly(5.0, 4.0);
        assertThat(h.series().get(0).timestamps()[0])
                .isEqualTo(Instant.parse("2020-03-09T07:14:33Z").toEpochMilli());
    }

    @Test
    void malformedNumberNamesFileLineColumnAndText() throws IOException {
        Path f = write(
                "bad.csv",
                SKAB_HEADER + "2020-03-09 10:14:33;0.1;1.3;32.0;0;0\n" + "2020-03-09 10:14:34;0.1;1.3x;32.0;0;0\n");

        assertThatThrownBy(() -> HistoryReader.read(f, HistoryOptions.defaults()))
                .isInstanceOf(HistoryException.class)
                .hasMessage(f + " line 3, column 'Current': '1.3x' is not a number");
    }

    @Test
    void malformedTimestampAndEmptyCellAndWrongCellCount() throws IOException {
        Path ts = write("ts.csv", "timestamp,x\n2020-13-09 10:00:00,1\n");
        assertThatThrownBy(() -> HistoryReader.read(ts, HistoryOptions.defaults()))
                .hasMessageStartingWith(ts + " line 2, column 'timestamp': '2020-13-09 10:00:00' is not a timestamp");
        Path empty = write("empty.csv", "timestamp,x,y\n1583748873,1,\n");
        assertThatThrownBy(() -> HistoryReader.read(empty, HistoryOptions.defaults()))
                .hasMessage(empty + " line 2, column 'y': '' is empty");
        Path cells = write("cells.csv", "timestamp,x,y\n1583748873,1,2\n\n1583748874,1\n");
        assertThatThrownBy(() -> HistoryReader.read(cells, HistoryOptions.defaults()))
                .hasMessageStartingWith(cells + " line 4: 2 cells, but the header has 3");
    }

    @Test
    void entityColumnSplitsRowsAndEpochNumbersAreToldApartByMagnitude() throws IOException {
        // quoted cells, an offset date-time, epoch seconds and epoch millis in one file
        Path f = write(
                "fleet.csv",
                "timestamp,host,cpu,label\n"
                        + "1583748874,b,2.5,0\n"
                        + "1583748873000,a,1.5,0\n"
                        + "1583748873,b,3.5,1\n"
                        + "\"2020-03-09T13:14:34+03:00\",\"a\",\"1.25\",0\n");

        History h = HistoryReader.read(f, HistoryOptions.defaults().withEntityColumn("host"));

        assertThat(h.features().names()).containsExactly("cpu");
        assertThat(h.series()).extracting(EntitySeries::entity).containsExactly("a", "b");
        EntitySeries a = h.series("a").orElseThrow();
        assertThat(a.timestamps()).containsExactly(1583748873000L, 1583748874000L);
        assertThat(a.values()[1]).containsExactly(1.25);
        EntitySeries b = h.series("b").orElseThrow();
        assertThat(b.timestamps()).containsExactly(1583748873000L, 1583748874000L);
        assertThat(b.labels()).containsExactly(true, false);
    }

    @Test
    void severalFilesAlignColumnsAndRefuseDifferentFeatures() throws IOException {
        Path a = write("valve1/0.csv", "timestamp,x,y\n1000,1,2\n");
        Path b = write("valve2/0.csv", "timestamp,y,x\n1000,20,10\n");

        History h = HistoryReader.read(List.of(a, b), HistoryOptions.defaults());

        assertThat(h.series()).extracting(EntitySeries::entity).containsExactly("valve1/0", "valve2/0");
        assertThat(h.series("valve2/0").orElseThrow().values()[0]).containsExactly(10.0, 20.0);

        Path c = write("c.csv", "timestamp,x,z\n1000,1,2\n");
        assertThatThrownBy(() -> HistoryReader.read(List.of(a, c), HistoryOptions.defaults()))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("File " + c + " has value columns [x, z] but " + a + " has [x, y]")
                .hasMessageContaining("missing: [y]")
                .hasMessageContaining("extra: [z]");
    }

    @Test
    void aByteOrderMarkIsDroppedAndAnUnclosedQuoteNamesItsLine() throws IOException {
        Path bom = write("bom.csv", "\uFEFFtimestamp,x\n1583748873,1.5\n\n1583748874,2.5\n");
        History h = HistoryReader.read(bom, HistoryOptions.defaults());
        assertThat(h.features().names()).containsExactly("x");
        assertThat(h.rows()).isEqualTo(2);

        Path open = write("open.csv", "timestamp,x\n1583748873,1.5\n1583748874,\"2.5\n1583748875,3\n");
        assertThatThrownBy(() -> HistoryReader.read(open, HistoryOptions.defaults()))
                .isInstanceOf(HistoryException.class)
                .hasMessageStartingWith(open + " line 3: ")
                .hasMessageContaining("a quoted field that is never closed");
    }

    @Test
    void missingFileAndMissingTimestampColumn() throws IOException {
        Path absent = dir.resolve("absent.csv");
        assertThatThrownBy(() -> HistoryReader.read(absent, HistoryOptions.defaults()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(absent.toString());
        Path f = write("nots.csv", "time;x\n1;2\n");
        assertThatThrownBy(() -> HistoryReader.read(f, HistoryOptions.defaults()))
                .hasMessageContaining("no timestamp column")
                .hasMessageContaining("[time, x]")
                .hasMessageContaining("--timestamp-column");
    }
}
