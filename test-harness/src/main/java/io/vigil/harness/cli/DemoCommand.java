package io.vigil.harness.cli;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.demo.DemoOptions;
import io.vigil.harness.demo.DemoReport;
import io.vigil.harness.demo.EmbeddedDemo;
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
        description = "Runs Vigil end to end in this process: a real Kafka broker, training, publishing, the job on"
                + " a Flink MiniCluster, live readings with injected anomalies, alerts as they arrive, and a summary.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

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

    @Option(names = "--rate", description = "Readings per second sent. Default: ${DEFAULT-VALUE}.")
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
        DemoOptions options;
        try {
            options = new DemoOptions(
                    workDir, entities, history, live, anomalies, rate, garbage, parallelism, maxEpochs, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        DemoReport report = new EmbeddedDemo(options, out).run();
        return requirePass && !report.passed() ? HarnessCli.FAILURE : 0;
    }
}
