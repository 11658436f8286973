package io.vigil.trainer.cli;

import io.vigil.scoring.bundle.BundleException;
import io.vigil.trainer.history.HistoryException;
import io.vigil.trainer.publish.AnnounceException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vigil-trainer} command line: {@code train}, {@code evaluate}, {@code publish}, and for
 * transaction streams {@code train-transactions} and {@code evaluate-transactions}. Exit codes:
 * 0 success, 2 wrong usage (one line naming the offending argument, see {@link CommandLineConventions}),
 * 1 a runtime failure such as an unreadable or malformed file or a corrupt bundle (no stack trace unless
 * {@code --verbose}).
 */
@Command(
        name = "vigil-trainer",
        mixinStandardHelpOptions = true,
        subcommands = {
            TrainCommand.class,
            EvaluateCommand.class,
            PublishCommand.class,
            TrainTransactionsCommand.class,
            EvaluateTransactionsCommand.class
        },
        description = "Trains, evaluates and publishes Vigil anomaly-detection model bundles.",
        footer = {"", "Run 'vigil-trainer <command> --help' for a command's options."})
public final class TrainerCli implements Callable<Integer> {

    /** Log configuration for the command line (quiet: warnings and errors only). */
    static final String LOG_CONFIG = "io/vigil/trainer/cli/log4j2-cli.xml";

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose train, evaluate or publish");
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** The command line as {@link #run} parses it (also what the docs check parses the documented commands with). */
    public static CommandLine commandLine() {
        return CommandLineConventions.apply(new CommandLine(new TrainerCli()));
    }

    /** Runs one command line and returns its exit code; everything printed goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(TrainerCli::runtimeError);
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int runtimeError(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** A message a user can act on, naming the file at fault. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (e instanceof NoSuchFileException f) {
            return "file not found: " + f.getFile() + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile() + (f.getReason() == null ? "" : ": " + f.getReason());
        }
        if (e instanceof FileSystemException f) {
            return f.getMessage();
        }
        if (e instanceof BundleException) {
            return e.getMessage() + "\nThe bundle cannot be used as it is: write it again (train, or copy it again from"
                    + " where it was trained); a bundle is never repaired in place.";
        }
        if (e instanceof HistoryException
                || e instanceof AnnounceException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        if (e instanceof IOException) {
            return "I/O error: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
