package io.vigil.harness.cli;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.demo.DemoOptions;
import io.vigil.harness.demo.DemoReport;
import io.vigil.harness.demo.EmbeddedDemo;
import io.vigil.harness.demo.TransactionDemo;
import io.vigil.harness.demo.TransactionDemoOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demo}: the whole system in one process, from training to alerts, with a judged summary. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs Vigil end to end in this process: a real Kafka broker, training, publishing, the job on a Flink"
                    + " MiniCluster, a live stream with injected anomalies, alerts as they arrive, and a summary.",
            "--stream sensors (the default): sensors' readings with injected anomalies (options --sensors, --history,"
                    + " --live, --anomalies). --stream transactions: generated card accounts with injected fraud"
                    + " (options --accounts, --days, --fraud-rate), alerts explained in an analyst's words, and what"
                    + " was found against what was injected, per fraud pattern."
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Which stream the demo runs. */
    public enum Stream {
        sensors,
        transactions
    }

    @Option(names = "--stream", description = "sensors or transactions. Default: ${DEFAULT-VALUE}.")
    private Stream stream = Stream.sensors;

    @Option(names = "--work-dir", description = "Broker data, model store and report. Default: ${DEFAULT-VALUE}.")
    private Path workDir = Path.of("test-harness/target/demo");

    @Option(names = "--sensors", description = "Sensors streaming at once. Default: ${DEFAULT-VALUE}.")
    private int entities = 12;

    @Option(names = "--history", description = "Normal readings per sensor to train on. Default: ${DEFAULT-VALUE}.")
    private int history = 3000;

    @Option(names = "--live", description = "Readings per sensor to stream. Default: ${DEFAULT-VALUE}.")
    private int live = 800;

    @Option(names = "--anomalies", description = "Anomalies per sensor. Default: ${DEFAULT-VALUE}.")
    private int anomalies = 3;

    @Option(
            names = "--accounts",
            description = "Transactions: accounts with habits of their own. Default: ${DEFAULT-VALUE}.")
    private int accounts = 150;

    @Option(
            names = "--days",
            description = "Transactions: days generated; the first 14 are fraud-free and train the model."
                    + " Default: ${DEFAULT-VALUE}.")
    private int days = 28;

    @Option(
            names = "--fraud-rate",
            description = "Transactions: incidents of card testing, of account takeover and of velocity bursts, each"
                    + " per 1,000 accounts per 30 days. Default: ${DEFAULT-VALUE}.")
    private double fraudRate = 60;

    @Option(names = "--rate", description = "Readings (or transactions) per second sent. Default: ${DEFAULT-VALUE}.")
    private double rate = 400;

    @Option(names = "--garbage", description = "Share of extra garbage records. Default: ${DEFAULT-VALUE}.")
    private double garbage = 0.005;

    @Option(names = "--parallelism", description = "Flink parallelism. Default: ${DEFAULT-VALUE}.")
    private int parallelism = 2;

    @Option(names = "--max-epochs", description = "Training epochs at most. Default: ${DEFAULT-VALUE}.")
    private int maxEpochs = 30;

    @Option(names = "--seed", description = "Seed of the live stream. Default: ${DEFAULT-VALUE}.")
    private long seed = 7;

    @Option(names = "--require-pass", description = "Exit 1 unless the summary's verdict is PASS.")
    private boolean requirePass;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (stream == Stream.transactions) {
            refuse("--sensors", "--history", "--live", "--anomalies", "--require-pass");
            TransactionDemoOptions options;
            try {
                options = new TransactionDemoOptions(
                        workDir, accounts, days, fraudRate, rate, garbage, parallelism, maxEpochs, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            new TransactionDemo(options, out).run();
            return 0;
        }
        refuse("--accounts", "--days", "--fraud-rate");
        DemoOptions options;
        try {
            options = new DemoOptions(
                    workDir, entities, history, live, anomalies, rate, garbage, parallelism, maxEpochs, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        DemoReport report = new EmbeddedDemo(options, out).run();
        return requirePass && !report.passed() ? HarnessCli.FAILURE : 0;
    }

    /** Fails on an option given that the chosen stream does not use, rather than ignoring it. */
    private void refuse(String... options) {
        for (String o : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new ParameterException(
                        spec.commandLine(), o + " is an option of the other stream, not of --stream " + stream);
            }
        }
    }
}
