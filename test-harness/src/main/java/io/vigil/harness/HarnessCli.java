package io.vigil.harness;

import io.vigil.harness.cli.CorpusCommand;
import io.vigil.harness.cli.DecodeCommand;
import io.vigil.harness.cli.DemoCommand;
import io.vigil.harness.cli.EncodeCommand;
import io.vigil.harness.cli.EvaluateAlertsCommand;
import io.vigil.harness.cli.GenerateCommand;
import io.vigil.harness.cli.GenerateTransactionsCommand;
import io.vigil.harness.cli.JmhCommand;
import io.vigil.harness.cli.TransactionCorpusCommand;
import io.vigil.trainer.cli.CommandLineConventions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The harness's command line: one subcommand per class ({@code generate}, {@code evaluate}, ...).
 * Exit codes: 0 success, 1 failure (including a failed {@code --require-*} check), 2 wrong usage (one
 * line, see {@link CommandLineConventions}).
 *
 * <pre>{@code
 * java -cp ... io.vigil.harness.HarnessCli generate --entities 8 --bootstrap-servers 127.0.0.1:9092 --topic readings \
 *     --truth run/truth.json --labels run/labels.csv
 * java -cp ... io.vigil.harness.HarnessCli evaluate --bootstrap-servers 127.0.0.1:9092 --topic alerts \
 *     --truth run/truth.json --labels run/labels.csv
 * }</pre>
 */
@Command(
        name = "vigil-harness",
        mixinStandardHelpOptions = true,
        description = "Drives and judges Vigil from outside: generates labelled streams, evaluates alerts.",
        subcommands = {
            DemoCommand.class,
            CorpusCommand.class,
            TransactionCorpusCommand.class,
            GenerateCommand.class,
            GenerateTransactionsCommand.class,
            EvaluateAlertsCommand.class,
            EncodeCommand.class,
            DecodeCommand.class,
            io.vigil.harness.bench.BenchmarkCommand.class,
            JmhCommand.class,
            CommandLine.HelpCommand.class
        })
public final class HarnessCli implements Runnable {

    /** Exit code for a run that went wrong (I/O, Kafka, a failed requirement). */
    public static final int FAILURE = 1;
    /** Exit code for wrong usage (unknown option, invalid value, missing subcommand). */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing subcommand: one of " + spec.subcommands().keySet());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** The command line as {@link #run} parses it (also what the docs check parses the documented commands with). */
    public static CommandLine commandLine() {
        CommandLine cli = CommandLineConventions.apply(new CommandLine(new HarnessCli()));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Runs the command line with the given streams and returns the exit code (never calls System.exit). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        // picocli's own exit codes already are USAGE (2) for invalid input and FAILURE (1) for exceptions.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("vigil-harness " + command.getCommandName() + ": " + describe(e));
            return FAILURE;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append(" (cause: ").append(c.getMessage()).append(')');
        }
        return s.toString();
    }
}
