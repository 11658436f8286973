package io.vigil.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every Vigil command line ({@code vigil-trainer}, {@code vigil-harness}) does the same way:
 *
 * <ul>
 *   <li>wrong usage is one line on standard error, what was wrong and what to do, then "see --help"
 *       (a misspelt option gets picocli's "did you mean" suggestions in that line), exit code 2;
 *   <li>{@code --version} prints the build's version and git commit;
 *   <li>an option whose description already says its default does not get picocli's second
 *       "Default:" line.
 * </ul>
 *
 * <pre>{@code
 * CommandLine cli = CommandLineConventions.apply(new CommandLine(new TrainerCli()));
 * }</pre>
 */
public final class CommandLineConventions {

    /** Written by the build (model-trainer's pom): the project version, the git commit, whether it had changes. */
    static final String BUILD_PROPERTIES = "/io/vigil/trainer/cli/build.properties";

    private CommandLineConventions() {}

    /** Columns of the help text: wide enough for the examples' command lines to stay on one line. */
    public static final int HELP_WIDTH = 100;

    /** Applies the conventions to {@code cli} and all its subcommands; returns it. */
    public static CommandLine apply(CommandLine cli) {
        cli.setParameterExceptionHandler(CommandLineConventions::usageError);
        cli.setHelpFactory(OneDefaultHelp::new);
        cli.setUsageHelpWidth(HELP_WIDTH);
        setVersion(cli);
        return cli;
    }

    /**
     * What is wrong with the help texts of {@code cli} and its subcommands, one line each (empty when
     * nothing is): a description paragraph or line that stops mid-sentence (each is printed as a line of
     * its own, so it must end a sentence, or be an example's command line, or continue one with a
     * backslash), and an option whose help says "Default:" twice. Both command lines' tests run it.
     */
    public static List<String> helpProblems(CommandLine cli) {
        List<String> problems = new java.util.ArrayList<>();
        CommandSpec spec = cli.getCommandSpec();
        String name = spec.qualifiedName();
        for (String line : spec.usageMessage().description()) {
            unfinished(name + " description", line, problems);
        }
        for (var arg : spec.args()) {
            if (!arg.hidden()) {
                for (String line : arg.description()) {
                    unfinished(
                            name + " " + (arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel()),
                            line,
                            problems);
                }
            }
        }
        java.io.StringWriter help = new java.io.StringWriter();
        cli.usage(new PrintWriter(help), Help.Ansi.OFF);
        String option = null;
        int defaults = 0;
        for (String line : (help + "\n-").split("\\R")) {
            if (line.matches("^ {0,6}-.*") || line.matches("^\\S.*")) {
                if (defaults > 1) {
                    problems.add(name + " " + option + ": says 'Default:' " + defaults + " times");
                }
                option = line.strip().split("[ =,]")[0];
                defaults = 0;
            }
            defaults += line.split("Default:", -1).length - 1;
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                problems.addAll(helpProblems(sub));
            }
        }
        return problems;
    }

    private static void unfinished(String where, String line, List<String> problems) {
        String t = line.strip();
        boolean example = t.startsWith("Example") || Character.isWhitespace(line.isEmpty() ? 'x' : line.charAt(0));
        if (!t.isEmpty() && !example && !t.endsWith("\\") && ".:;!?)".indexOf(t.charAt(t.length() - 1)) < 0) {
            problems.add(where + ": stops mid-sentence: '" + t + "'");
        }
    }

    private static void setVersion(CommandLine cli) {
        cli.getCommandSpec()
                .versionProvider(new BuildVersion(cli.getCommandSpec().root().name()));
        cli.getSubcommands().values().forEach(CommandLineConventions::setVersion);
    }

    /** The one line a usage error prints; exit code 2. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(oneLine(e));
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** E.g. {@code vigil-harness generate: Unknown option: '--entitiez' (did you mean --entities?); see 'vigil-harness generate --help'}. */
    static String oneLine(ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name)
                .append(": ")
                .append(String.join(" ", String.valueOf(e.getMessage()).strip().split("\\s*\\R\\s*")));
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ")
                        .append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))))
                        .append("?)");
            }
        }
        return line.append("; see '").append(name).append(" --help'").toString();
    }

    /** {@code vigil-trainer 0.1.0-SNAPSHOT (commit 93ced52)}, from what the build wrote. */
    static final class BuildVersion implements IVersionProvider {

        private final String program;

        BuildVersion(String program) {
            this.program = program;
        }

        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = CommandLineConventions.class.getResourceAsStream(BUILD_PROPERTIES)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return new String[] {program + " (version unknown: " + e.getMessage() + ")"};
            }
            String version = p.getProperty("version", "unknown version");
            String commit = p.getProperty("commit", "unknown");
            boolean dirty = Boolean.parseBoolean(p.getProperty("dirty", "false"));
            String built = commit.equals("unknown")
                    ? "git commit unknown: built outside a git checkout"
                    : "git commit " + commit + (dirty ? ", with uncommitted changes" : "");
            return new String[] {program + " " + version + " (" + built + ")"};
        }
    }

    /**
     * Help whose options show one default: where a description already says "Default: ..." (for example
     * "Default: none."), picocli's own default line is left out.
     */
    static final class OneDefaultHelp extends Help {

        OneDefaultHelp(CommandSpec spec, ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public IOptionRenderer createDefaultOptionRenderer() {
            IOptionRenderer base = super.createDefaultOptionRenderer();
            return (option, labels, scheme) -> {
                Text[][] rows = base.render(option, labels, scheme);
                if (!saysItsDefault(option) || rows.length < 2) {
                    return rows;
                }
                // picocli appends the default as the last row, after one row per description line
                Text[] last = rows[rows.length - 1];
                return last[last.length - 1].plainString().strip().startsWith("Default:")
                        ? Arrays.copyOf(rows, rows.length - 1)
                        : rows;
            };
        }

        private static boolean saysItsDefault(OptionSpec option) {
            return String.join(" ", option.description()).contains("Default:");
        }
    }
}
