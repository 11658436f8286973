package io.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.SensorReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroHistoryReaderTest {

    @TempDir
    Path dir;

    private static SensorReading reading(String entity, long t, Map<String, Double> values, Map<String, String> tags) {
        return SensorReading.newBuilder()
                .setEntityId(entity)
                .setEventTime(Instant.ofEpochMilli(t))
                .setValues(values)
                .setTags(tags)
                .build();
    }

    private Path write(String name, List<SensorReading> readings) throws IOException {
        Path f = dir.resolve(name);
        try (DataFileWriter<SensorReading> w = new DataFileWriter<>(new SpecificDatumWriter<>(SensorReading.class))) {
            w.create(SensorReading.getClassSchema(), f.toFile());
            for (SensorReading r : readings) {
                w.append(r);
            }
        }
        return f;
    }

    @Test
    void roundTripsReadingsIntoSortedEntitiesWithLabelsFromATag() throws IOException {
        Path f = write(
                "readings.avro",
                List.of(
                        reading("pump-2", 2000, Map.of("temp", 21.0, "rpm", 900.0), Map.of("label", "0")),
                        reading(
                                "pump-1",
                                3000,
                                Map.of("temp", 20.5, "rpm", 1000.0, "extra", 1.0),
                                Map.of("label", "1")),
                        reading(
                                "pump-1",
                                1000,
                                Map.of("temp", 20.0, "rpm", 1010.0, "extra", 2.0),
                                Map.of("label", "0"))));

        History h = HistoryReader.read(f, HistoryOptions.defaults().withExclude(List.of("extra")));

        assertThat(h.features().names()).containsExactly("rpm", "temp"); // sorted union minus --exclude
        assertThat(h.series()).extracting(EntitySeries::entity).containsExactly("pump-1", "pump-2");
        EntitySeries p1 = h.series("pump-1").orElseThrow();
        assertThat(p1.timestamps()).containsExactly(1000L, 3000L);
        assertThat(p1.values()[0]).containsExactly(1010.0, 20.0);
        assertThat(p1.values()[1]).containsExactly(1000.0, 20.5);
        assertThat(p1.labels()).containsExactly(false, true);
        assertThat(h.series("pump-2").orElseThrow().values()[0]).containsExactly(900.0, 21.0);
    }

    @Test
    void aGivenFeatureListIsRequiredOfEveryReading() throws IOException {
        Path f = write(
                "gap.avro",
                List.of(
                        reading("pump-1", 1000, Map.of("temp", 20.0, "rpm", 1.0), Map.of()),
                        reading("pump-1", 2000, Map.of("temp", 20.0), Map.of())));

        assertThatThrownBy(
                        () -> HistoryReader.read(f, HistoryOptions.defaults().withValueColumns(List.of("temp", "rpm"))))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining(f + " record 2 (entity pump-1, time 1970-01-01T00:00:02Z)")
                .hasMessageContaining("missing channel(s) rpm");
    }

    @Test
    void csvAndAvroFilesWithTheSameFeaturesReadTogether() throws IOException {
        Path avro = write("a.avro", List.of(reading("pump-1", 1000, Map.of("temp", 20.0), Map.of())));
        Path csv = dir.resolve("pump-2.csv");
        Files.writeString(csv, "timestamp,temp\n2000,30\n");

        History h = HistoryReader.read(List.of(avro, csv), HistoryOptions.defaults());

        assertThat(h.features().names()).containsExactly("temp");
        assertThat(h.series()).extracting(EntitySeries::entity).containsExactly("pump-1", "pump-2");
        assertThat(h.series("pump-2").orElseThrow().values()[0]).containsExactly(30.0);
    }
}
