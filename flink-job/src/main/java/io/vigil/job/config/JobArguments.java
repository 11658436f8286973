package io.vigil.job.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The job's command line, parsed by picocli as Vigil's other commands are: one {@code --key value} (or
 * {@code --key=value}) option per {@link VigilOptions} option, {@code --config <file>}, {@code --help},
 * {@code --kafka.properties.<name> value} for the Kafka clients, and any other {@code --key value} for
 * Flink. A key under one of Vigil's prefixes that is not an option is refused with picocli's "did you
 * mean" suggestion, from the command line or from a config file alike.
 */
final class JobArguments {

    /** The prefixes of Vigil's own keys: a key under one of them must be a known option. */
    static final Set<String> VIGIL_PREFIXES = Set.of(
            "kafka.",
            "topic.",
            "sink.",
            "model.",
            "watermark.",
            "validation.",
            "scoring.",
            "alert.",
            "schema.",
            "transactions.",
            "stream");

    static final String CONFIG = "--config";
    static final String HELP = "--help";

    private JobArguments() {}

    /** The command line's specification: what {@link #parse} accepts and {@link #usage} lists. */
    static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name("flink run <vigil job jar>");
        spec.usageMessage()
                .description(
                        "Vigil streaming anomaly detection job. Options can also be set in a --config"
                                + " file; any other --key value is passed to Flink (e.g. --execution.checkpointing.interval 5s).")
                .width(100);
        for (ConfigOption<?> o : VigilOptions.ALL) {
            spec.addOption(OptionSpec.builder("--" + o.key())
                    .paramLabel("<value>")
                    .type(String.class)
                    .description(JobConfig.text(o)
                            + (o.hasDefaultValue() ? " Default: " + JobConfig.format(o.defaultValue()) + "." : ""))
                    .build());
        }
        spec.addOption(OptionSpec.builder(CONFIG)
                .paramLabel("<file>")
                .type(String.class)
                .description("Read options from a .yaml or .properties file; the command line's win.")
                .build());
        spec.addOption(OptionSpec.builder("--" + VigilOptions.KAFKA_PROPERTIES_PREFIX + "<name>")
                .paramLabel("<value>")
                .type(String.class)
                .description("Passed to every Kafka client (e.g. security.protocol).")
                .build());
        spec.addOption(OptionSpec.builder(HELP)
                .usageHelp(true)
                .description("Show this list and exit.")
                .build());
        spec.parser().unmatchedArgumentsAllowed(true).overwrittenOptionsAllowed(true);
        return new CommandLine(spec);
    }

    /** The option list, for {@code --help}. */
    static String usage() {
        StringWriter out = new StringWriter();
        commandLine().usage(new PrintWriter(out), Help.Ansi.OFF);
        return out.toString();
    }

    /** Whether {@code args} ask for the usage. */
    static boolean helpRequested(String[] args) {
        return args.length == 0 || parse(commandLine(), args).isUsageHelpRequested();
    }

    /**
     * Every key and value the arguments set, in order (a later one wins): Vigil's options by key,
     * {@code config} for the file, and the Kafka client and Flink settings as given.
     */
    static Map<String, String> values(String[] args) {
        CommandLine cli = commandLine();
        ParseResult parsed = parse(cli, args);
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            if (!o.usageHelp()) {
                out.put(o.longestName().substring(2), parsed.matchedOptionValue(o.longestName(), ""));
            }
        }
        List<String> rest = parsed.unmatched();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + a + "': options are --key value; run with"
                        + " --help for the list of options");
            }
            int eq = a.indexOf('=');
            String key = eq > 0 ? a.substring(2, eq) : a.substring(2);
            checkKnown(cli, key);
            if (eq > 0) {
                out.put(key, a.substring(eq + 1));
            } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
                out.put(key, rest.get(++i));
            } else {
                throw new IllegalArgumentException("Option --" + key + " needs a value");
            }
        }
        return out;
    }

    /** Refuses a key under Vigil's prefixes that is not one of its options, naming the closest ones. */
    static void checkKnown(String key) {
        checkKnown(commandLine(), key);
    }

    private static void checkKnown(CommandLine cli, String key) {
        boolean vigil = VIGIL_PREFIXES.stream().anyMatch(key::startsWith);
        if (!vigil
                || key.startsWith(VigilOptions.KAFKA_PROPERTIES_PREFIX)
                || cli.getCommandSpec().findOption("--" + key) != null) {
            return;
        }
        // picocli's own suggestions are the options that share the first two letters; the closest of them first
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        List<String> suggestions =
                new ArrayList<>(new UnmatchedArgumentException(cli, List.of("--" + key)).getSuggestions());
        suggestions.removeIf(s -> s.contains("<name>") || s.equals(CONFIG) || s.equals(HELP));
        suggestions.sort(Comparator.comparingInt(s -> distance.apply("--" + key, s)));
        throw new IllegalArgumentException("Unknown option '--" + key + "'"
                + (suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?")
                + " Run with --help for the list of options.");
    }

    private static ParseResult parse(CommandLine cli, String[] args) {
        try {
            return cli.parseArgs(args);
        } catch (MissingParameterException e) {
            String option = e.getMissing().get(0) instanceof OptionSpec o
                    ? o.longestName()
                    : e.getMissing().get(0).paramLabel();
            throw new IllegalArgumentException("Option " + option + " needs a value", e);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
