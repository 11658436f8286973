package io.vigil.trainer.cli;

import io.vigil.trainer.training.TrainingConfig;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The training options whose defaults differ for transactions, as {@code train-transactions --help}
 * shows them (picocli asks this provider before an option's own default). Why each: docs/benchmarks.md,
 * "Transactions".
 */
public final class TransactionDefaults implements IDefaultValueProvider {

    /** The model id a transaction bundle gets unless named. */
    public static final String MODEL_ID = "vigil-transactions";

    /** Option to default value. */
    public static final Map<String, String> VALUES = Map.ofEntries(
            // an account makes a few transactions a day: a short window is scored after days, not weeks
            Map.entry("--window-length", "16"),
            Map.entry("--sequence-length", "32"),
            // the features are already relative to the account (ratios to its median, its own counts): one
            // standardisation for all, so a new account is scored once its window is full
            Map.entry("--normalisation", "global"),
            // no feature drifts like a sensor's level, and a stuck value means nothing for transactions
            Map.entry("--difference", "none"),
            Map.entry("--lower-tail", "none"),
            Map.entry("--warmup-events", "8"),
            // an account makes tens of transactions a month, not thousands of readings: with the sensors' 64
            // the calibrated prior caps a new account's surprise near log10(64 + n) < 3, so even a burst of
            // card testing rarely opened an alert (2 of 12 incidents in TransactionPipelineKafkaITCase's
            // stream); with 1000 the prior lets one extreme transaction reach surprise 3 (11 of 12)
            Map.entry("--prior-weight", "1000"),
            Map.entry("--resolve-after", "8"),
            Map.entry("--model-id", MODEL_ID));

    /**
     * The training configuration {@code train-transactions} uses by default, with {@code options} (training
     * options as on its command line, e.g. {@code "--max-epochs", "10"}) on top: for programs that train a
     * transaction model without a command line of their own (the harness's demo).
     */
    public static TrainingConfig.Builder training(String... options) {
        Holder holder = new Holder();
        CommandLine cli = new CommandLine(holder);
        cli.setDefaultValueProvider(new TransactionDefaults());
        cli.parseArgs(options);
        return holder.training.toBuilder();
    }

    @Command
    private static final class Holder {
        @Mixin
        TrainingOptions training;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? VALUES.get(o.longestName()) : null;
    }
}
