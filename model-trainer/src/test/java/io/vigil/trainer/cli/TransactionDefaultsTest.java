package io.vigil.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.trainer.training.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The transaction defaults as programs get them without a command line: train-transactions' defaults, options on top. */
class TransactionDefaultsTest {

    @Test
    void trainingHasTheTransactionDefaultsAndTheOptionsGiven() {
        TrainingConfig c = TransactionDefaults.training("--max-epochs", "3").build();

        assertThat(c.windowLength()).isEqualTo(Integer.parseInt(TransactionDefaults.VALUES.get("--window-length")));
        assertThat(c.sequenceLength()).isEqualTo(Integer.parseInt(TransactionDefaults.VALUES.get("--sequence-length")));
        assertThat(c.priorWeight()).isEqualTo(Integer.parseInt(TransactionDefaults.VALUES.get("--prior-weight")));
        assertThat(c.warmupEvents()).isEqualTo(Integer.parseInt(TransactionDefaults.VALUES.get("--warmup-events")));
        assertThat(c.perKeyNormalisation()).isFalse();
        assertThat(c.maxEpochs()).isEqualTo(3);
        assertThat(TrainingConfig.builder().build().priorWeight())
                .as("differs from the sensors' default, or this test shows nothing")
                .isNotEqualTo(c.priorWeight());
    }
}
