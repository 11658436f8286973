package io.vigil.harness.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.write.ReadingCsvWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth JSON, labels CSV and readings CSV: what is written is what is read back. */
class GroundTruthFilesTest {

    private static final GeneratorConfig CONFIG =
            GeneratorConfig.builder().entities(3).eventsPerEntity(1_000).seed(8).build();

    @Test
    void groundTruthRoundTripsAndRegeneratesTheSameStream(@TempDir Path dir) throws Exception {
        SensorStreamGenerator g = new SensorStreamGenerator(CONFIG);
        Path file = dir.resolve("truth.json");
        GroundTruth.of(g).write(file);

        GroundTruth back = GroundTruth.read(file);
        assertThat(back).isEqualTo(GroundTruth.of(g));
        assertThat(back.windows()).hasSize(15);
        assertThat(back.totalEvents()).isEqualTo(3_000);
        assertThat(back.intervalMillis()).isEqualTo(1_000);
        // The config in the file is the whole recipe: the stream comes out identical.
        assertThat(new SensorStreamGenerator(back.generator()).readings()).isEqualTo(g.readings());
        String json = Files.readString(file);
        assertThat(json).contains("\"format\" : \"vigil-ground-truth/1\"").contains("\"start\" : \"2025-01-01T00:");
    }

    @Test
    void aFileOfAnotherFormatIsRejectedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"format\": \"something-else\"}");
        assertThatThrownBy(() -> GroundTruth.read(file))
                .hasMessageContaining("is not a vigil-ground-truth/1 file")
                .hasMessageContaining("something-else");
        Files.writeString(file, "{\"format\": \"vigil-ground-truth/1\"}");
        assertThatThrownBy(() -> GroundTruth.read(file)).hasMessageContaining("field 'generator' is missing");
    }

    @Test
    void labelsRoundTripEventByEvent(@TempDir Path dir) {
        SensorStreamGenerator g = new SensorStreamGenerator(CONFIG);
        Path file = dir.resolve("labels.csv");
        try (EventLabelsCsv w = new EventLabelsCsv(file)) {
            g.forEach(w::accept);
        }
        List<EventLabel> labels = EventLabelsCsv.read(file);
        List<LabeledReading> readings = g.readings();
        assertThat(labels).hasSize(readings.size());
        for (int i = 0; i < labels.size(); i++) {
            assertThat(labels.get(i))
                    .isEqualTo(new EventLabel(
                            readings.get(i).entityId(),
                            readings.get(i).eventTime().toEpochMilli(),
                            readings.get(i).anomalous()));
        }
        assertThat(labels.stream().filter(EventLabel::anomalous).count())
                .isEqualTo(readings.stream().filter(LabeledReading::anomalous).count())
                .isGreaterThan(0);
    }

    @Test
    void malformedLabelsNameTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "entity,timestamp,label\nsensor-001,1000,0\nsensor-001,2000,yes\n");
        assertThatThrownBy(() -> EventLabelsCsv.read(file))
                .hasMessageContaining("labels.csv:3")
                .hasMessageContaining("0|1");
        Files.writeString(file, "timestamp,entity,label\n");
        assertThatThrownBy(() -> EventLabelsCsv.read(file))
                .hasMessageContaining("first line must be 'entity,timestamp,label'");
    }

    @Test
    void readingsCsvHasTheTrainersLayoutAndExactValues(@TempDir Path dir) throws Exception {
        SensorStreamGenerator g = new SensorStreamGenerator(CONFIG);
        Path file = dir.resolve("live.csv");
        try (ReadingCsvWriter w = new ReadingCsvWriter(file, CONFIG.channels())) {
            g.forEach(w::accept);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("timestamp,entity,temperature,pressure,vibration,power,label");
        assertThat(lines).hasSize(3_001);
        List<LabeledReading> readings = g.readings();
        for (int i = 0; i < readings.size(); i += 97) {
            String[] f = lines.get(i + 1).split(",");
            LabeledReading r = readings.get(i);
            assertThat(Long.parseLong(f[0])).isEqualTo(r.eventTime().toEpochMilli());
            assertThat(f[1]).isEqualTo(r.entityId());
            for (int c = 0; c < 4; c++) {
                assertThat(Double.parseDouble(f[2 + c])).isEqualTo(r.value(c)); // bit-exact round trip
            }
            assertThat(f[6]).isEqualTo(r.anomalous() ? "1" : "0");
        }
    }
}
