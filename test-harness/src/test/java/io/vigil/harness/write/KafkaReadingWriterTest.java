package io.vigil.harness.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** The writer's config checks, and that it stops at the first failed send instead of hanging. */
class KafkaReadingWriterTest {

    @Test
    void configRejectsNonsenseWithTheAllowedRange() {
        KafkaReadingWriter.Config ok = KafkaReadingWriter.Config.of("127.0.0.1:9092", "readings");
        assertThatThrownBy(() -> ok.withGarbage(1.5, 0))
                .hasMessageContaining("garbage fraction must be between 0 and 1");
        assertThatThrownBy(() -> ok.withRate(-1)).hasMessageContaining("0 (unthrottled) or a positive number");
        assertThatThrownBy(() -> KafkaReadingWriter.Config.of(" ", "readings"))
                .hasMessageContaining("must not be blank");
    }

    @Test
    void stopsAtTheFirstFailedSend() {
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(1)
                .eventsPerEntity(100)
                .anomaliesPerEntity(0)
                .build();
        Iterator<LabeledReading> readings = new SensorStreamGenerator(config).iterator();
        // Port 1 on loopback has no broker: metadata never arrives and the send times out.
        KafkaReadingWriter.Config nowhere =
                KafkaReadingWriter.Config.of("127.0.0.1:1", "readings").withProducerConfig("max.block.ms", "300");
        try (KafkaReadingWriter w = new KafkaReadingWriter(nowhere, config.channels())) {
            w.accept(readings.next());
            assertThatThrownBy(() -> w.accept(readings.next()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Kafka rejected a record to readings after 1 readings");
            assertThat(w.finish().failedSends()).isEqualTo(1);
        }
    }
}
