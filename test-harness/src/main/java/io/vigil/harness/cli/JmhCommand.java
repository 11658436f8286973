package io.vigil.harness.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code jmh}: the JMH microbenchmarks of the scorer (everything after {@code jmh} goes to JMH). */
@Command(
        name = "jmh",
        mixinStandardHelpOptions = false,
        description = {
            "Runs the JMH microbenchmarks of the scorer (microseconds per event).",
            "ScorerBenchmark: the scorer alone at batch 1, 64 and 256; EngineBenchmark: the LSTM step and the"
                    + " autoencoder apart, by window length.",
            "Arguments go to JMH: e.g. 'jmh ScorerBenchmark -p window=32', 'jmh -l' (list), 'jmh -h' (JMH's help)."
        })
public final class JmhCommand implements Callable<Integer> {

    /** Everything after {@code jmh}, options included, for JMH to parse. */
    @Unmatched
    private final List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(String[]::new));
        return 0;
    }
}
