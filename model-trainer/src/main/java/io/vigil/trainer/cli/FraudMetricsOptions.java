package io.vigil.trainer.cli;

import io.vigil.trainer.evaluation.FraudMetrics;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How fraud metrics are read ({@link FraudMetrics}): the cards a team checks a day and the false-positive
 * rate recall is read at, shared by the trainer's {@code evaluate-transactions} and the harness's
 * {@code transaction-corpus}.
 */
public final class FraudMetricsOptions {

    @Option(
            names = "--k",
            defaultValue = "" + FraudMetrics.DEFAULT_K,
            description = "Cards checked per day, for card" + " precision@k.")
    int k;

    @Option(
            names = "--fpr",
            defaultValue = "" + FraudMetrics.DEFAULT_FPR,
            description = "False-positive rate at which recall is read.")
    double fpr;

    public int k() {
        return k;
    }

    public double fpr() {
        return fpr;
    }

    /** Fails with a usage error naming the option unless k is at least 1 and the rate in (0, 1). */
    public void check(CommandSpec spec) {
        if (k < 1 || !(fpr > 0 && fpr < 1)) {
            throw Cli.usage(spec, k < 1 ? "--k" : "--fpr", "--k must be at least 1 and --fpr in (0, 1)");
        }
    }
}
