package io.vigil.harness.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.harness.evaluate.AlertEvaluation;
import io.vigil.harness.evaluate.AlertEvaluator;
import io.vigil.harness.evaluate.AlertLog;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.truth.GroundTruth;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** report.json carries the demo's options as JSON fields, each with its value and type. */
class DemoReportTest {

    @Test
    void theOptionsAreJsonFieldsNotAJavaToString() {
        SensorStreamGenerator live = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(2)
                .eventsPerEntity(400)
                .anomaliesPerEntity(1)
                .seed(3)
                .build());
        AlertEvaluation evaluation =
                AlertEvaluator.forTruth(GroundTruth.of(live), List.of()).evaluate(AlertLog.of(List.of()));
        DemoOptions options =
                new DemoOptions(Path.of("test-harness/target/demo"), 2, 3000, 400, 1, 400, 0.005, 2, 30, 3);
        DemoReport report = new DemoReport(
                "2026-12-06T12:00:00Z",
                options,
                "demo-sensors",
                "v1",
                800,
                4,
                4,
                738,
                738,
                0,
                0,
                evaluation,
                375,
                399,
                120,
                "v1");

        JsonNode json = report.toJson().get("options");

        assertThat(json.isObject()).as("options is an object: %s", json).isTrue();
        assertThat(json.get("workDir").asText()).isEqualTo("test-harness/target/demo");
        assertThat(json.get("entities").intValue()).isEqualTo(2);
        assertThat(json.get("historyEvents").intValue()).isEqualTo(3000);
        assertThat(json.get("liveEvents").intValue()).isEqualTo(400);
        assertThat(json.get("anomaliesPerEntity").intValue()).isEqualTo(1);
        assertThat(json.get("rate").doubleValue()).isEqualTo(400.0);
        assertThat(json.get("garbageFraction").doubleValue()).isEqualTo(0.005);
        assertThat(json.get("parallelism").intValue()).isEqualTo(2);
        assertThat(json.get("maxEpochs").intValue()).isEqualTo(30);
        assertThat(json.get("seed").longValue()).isEqualTo(3);
        assertThat(json.toString()).doesNotContain("DemoOptions[");
    }
}
