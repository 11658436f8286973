package io.vigil.trainer.training;

import java.util.Locale;

/**
 * Where one network's training stands after an epoch.
 *
 * @param model which network: {@code lstm} or {@code ae}, with {@code [key]} for a per-key model
 * @param bestEpoch the epoch whose parameters are kept so far (1-based)
 * @param secondsLeftAtMost an upper bound: the remaining epochs at the average pace (early stopping may end sooner)
 */
public record EpochProgress(
        String model,
        int epoch,
        int maxEpochs,
        double trainingLoss,
        double validationLoss,
        double bestValidationLoss,
        int bestEpoch,
        double secondsPerEpoch,
        double secondsLeftAtMost) {

    /** E.g. {@code lstm  epoch  3/30  loss 0.4123  val 0.4431  best 0.4431@3  1.8 s/epoch  <=49 s left}. */
    public String format() {
        return String.format(
                Locale.ROOT,
                "%-4s  epoch %2d/%d  loss %.4f  val %.4f  best %.4f@%d  %.1f s/epoch  <=%.0f s left",
                model,
                epoch,
                maxEpochs,
                trainingLoss,
                validationLoss,
                bestValidationLoss,
                bestEpoch,
                secondsPerEpoch,
                Math.ceil(secondsLeftAtMost));
    }
}
