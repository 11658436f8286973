package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
        TrainingConfig c = TrainingConfig.builder().clock(clock).build();

        assertThat(c.version()).isEqualTo("20260304-050607");
        assertThat(c.modelId()).isEqualTo("vigil-sensor");
        assertThat(c.windowLength()).isEqualTo(32);
        assertThat(c.sequenceLength()).isEqualTo(64);
        assertThat(c.lstmHidden()).isEqualTo(32);
        assertThat(c.aeHidden()).containsExactly(64, 16, 64);
        assertThat(c.maxEpochs()).isEqualTo(30);
        assertThat(c.patience()).isEqualTo(4);
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.lstmLearningRate()).isEqualTo(5e-3);
        assertThat(c.aeLearningRate()).isEqualTo(1e-3);
        assertThat(c.validationFraction()).isEqualTo(0.2);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.smoothing()).isEqualTo(TrainingConfig.DEFAULT_SMOOTHING);
        assertThat(c.aeErrorSpan()).isZero();
        assertThat(c.effectiveAeErrorSpan()).isEqualTo(32);
        assertThat(c.aeHop()).isZero();
        assertThat(c.effectiveAeHop()).isEqualTo(8); // a quarter of the window
        assertThat(TrainingConfig.builder().windowLength(128).build().effectiveAeHop())
                .isEqualTo(32);
        assertThat(TrainingConfig.builder().windowLength(3).build().effectiveAeHop())
                .isEqualTo(1);
        assertThat(TrainingConfig.builder().aeHop(1).build().effectiveAeHop()).isEqualTo(1); // every event
        assertThat(c.threshold()).isEqualTo(TrainingConfig.DEFAULT_THRESHOLD);
        assertThat(c.drift()).isEqualTo(TrainingConfig.DEFAULT_DRIFT);
        assertThat(c.resolveAfter()).isEqualTo(TrainingConfig.DEFAULT_RESOLVE_AFTER);
        assertThat(c.halfLife()).isEqualTo(TrainingConfig.DEFAULT_HALF_LIFE);
        assertThat(c.priorWeight()).isEqualTo(TrainingConfig.DEFAULT_PRIOR_WEIGHT);
        assertThat(c.warmupEvents()).isEqualTo(16);
        assertThat(c.perKeyModels()).isFalse();
        assertThat(c.perKeyNormalisation()).isTrue();
        assertThat(c.normaliserEvents()).isEqualTo(64);
        assertThat(c.lowerTail()).as("decided from the data").isNull();
        assertThat(c.differenced()).as("decided from the data").isNull();
    }

    @Test
    void invalidValuesNameTheFieldAndSayWhatWorks() {
        assertThatThrownBy(() -> TrainingConfig.builder()
                        .version("v")
                        .validationFraction(1.5)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("validationFraction"))
                .hasMessageStartingWith("validationFraction must be in (0, 1), is 1.5");
        assertThatThrownBy(() -> TrainingConfig.builder()
                        .version("v")
                        .windowLength(4)
                        .aeErrorSpan(5)
                        .build())
                .hasMessage("aeErrorSpan must be in [0, windowLength = 4] (0 = the whole window), is 5");
        assertThatThrownBy(() -> TrainingConfig.builder()
                        .version("v")
                        .windowLength(4)
                        .aeHop(5)
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("aeHop"))
                .hasMessage(
                        "aeHop must be in [0, windowLength = 4] (1 = every event, 0 = a quarter of the window), is 5");
        assertThatThrownBy(() -> TrainingConfig.builder()
                        .version("v")
                        .modelId("pumps/east")
                        .build())
                .isInstanceOfSatisfying(
                        InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("modelId"))
                .hasMessageContaining("Invalid model id 'pumps/east'");
        assertThatThrownBy(() -> TrainingConfig.builder()
                        .version("v")
                        .aeHidden(List.of(16, 0))
                        .build())
                .hasMessageContaining("aeHidden must be one or more positive layer sizes");
        assertThatThrownBy(() -> TrainingConfig.parseLayers("32,x"))
                .hasMessageContaining("comma-separated layer sizes such as 32,8,32, is '32,x'");
    }
}
