package io.vigil.trainer.cli;

import io.vigil.scoring.transactions.TransactionFeatures;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --merchant-risk} and {@code --confirmation-delay}: confirmed-fraud feedback for the commands that
 * train a transaction model (train-transactions, and the harness's transaction-corpus), taken from the
 * label column as the fraud team would confirm it.
 */
public final class FeedbackOptions {

    @Option(
            names = "--merchant-risk",
            description = "Add the merchant-risk features (confirmed-fraud feedback): the frauds of the label column,"
                    + " each taken as confirmed --confirmation-delay after it happened. The job then needs the"
                    + " confirmed-labels topic.")
    boolean merchantRisk;

    @Option(
            names = "--confirmation-delay",
            paramLabel = "<duration>",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "How long after a fraud the fraud team confirms it, for --merchant-risk.")
    Duration confirmationDelay;

    /** Whether the merchant-risk features are asked for. */
    public boolean merchantRisk() {
        return merchantRisk;
    }

    /** How long after a fraud it is taken as confirmed. */
    public Duration confirmationDelay() {
        return confirmationDelay;
    }

    /** The transaction features these options ask for. */
    public TransactionFeatures features() {
        return TransactionFeatures.create(merchantRisk);
    }
}
