package io.vigil.harness.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.HarnessCli;
import io.vigil.job.config.JobConfig;
import io.vigil.trainer.cli.TrainerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The docs check: every command in a shell block of README.md, deploy/README.md, model-trainer/README.md
 * and test-harness/README.md is checked here, so that none rots. A line in such a block that is not a
 * command this check knows fails it: a new command gets a check when it is documented.
 *
 * <p>How each is checked:
 * <ul>
 *   <li>run as written, in a scratch directory (paths moved into it), by {@link #theCommandsThatNeedNoClusterRunAsWritten}:
 *       {@code vigil-harness generate} and {@code encode} when they write only files, {@code vigil-trainer --help}
 *       and {@code --version}, and the README's {@code train} then {@code evaluate} on history and labelled
 *       files of the layout it describes;
 *   <li>parsed by the command's own parser, the exact arguments, without running (picocli's
 *       {@code parseArgs} for {@code vigil-harness}, {@code vigil-demo} and {@code vigil-trainer};
 *       {@code JobConfig.fromArgs} for the job's arguments after {@code flink run <jar>} or
 *       {@code vigil-local submit <jar> --}): everything that needs a Kafka broker or a Flink cluster (the
 *       cluster walkthrough, publishing, the benchmark and the soak, which take 35 and 12 minutes, the demo)
 *       and the trainer on SKAB files, which are not in the repository;
 *   <li>{@code deploy/local/bin/vigil-local <command>}: the command is one the script's {@code help} lists
 *       (the E2E cases start, submit to and stop the stack);
 *   <li>{@code mvn}: each {@code -pl} module exists and each goal is a lifecycle phase;
 *   <li>{@code kcat} (Debian's, external): not run; the bytes it sends and the framing it prints are what
 *       EncodeDecodeCommandTest checks.
 * </ul>
 */
class DocumentedCommandsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> DOCS =
            List.of("README.md", "deploy/README.md", "model-trainer/README.md", "test-harness/README.md");
    static final Set<String> PHASES = Set.of("clean", "validate", "compile", "test", "package", "verify", "install");

    /** One documented command: its words after the shell's quoting, and where it is. */
    record Command(String doc, int line, List<String> words) {
        String program() {
            return words.get(0);
        }

        List<String> args() {
            return words.subList(1, words.size());
        }

        @Override
        public String toString() {
            return doc + ":" + line + ": " + String.join(" ", words);
        }
    }

    private static List<Command> commands;
    private static String vigilLocalHelp;

    @BeforeAll
    static void readTheDocs() throws Exception {
        commands = new ArrayList<>();
        for (String doc : DOCS) {
            commands.addAll(commands(doc, Files.readString(ROOT.resolve(doc), StandardCharsets.UTF_8)));
        }
        Process help = new ProcessBuilder(
                        ROOT.resolve("deploy/local/bin/vigil-local").toString(), "help")
                .redirectErrorStream(true)
                .start();
        vigilLocalHelp = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyDocumentedCommandIsKnownAndItsArgumentsParse() {
        List<String> problems = new ArrayList<>();
        for (Command c : commands) {
            String problem = check(c);
            if (problem != null) {
                problems.add(c + "\n    " + problem);
            }
        }
        assertThat(problems).as("documented commands that would fail").isEmpty();
        assertThat(commands).as("commands found in the docs").hasSizeGreaterThan(30);
        assertThat(commands)
                .extracting(Command::program)
                .contains(
                        "test-harness/bin/vigil-demo",
                        "mvn",
                        "kcat",
                        "flink",
                        "deploy/local/bin/vigil-local",
                        "test-harness/bin/vigil-harness",
                        "model-trainer/bin/vigil-trainer",
                        "vigil-trainer");
    }

    @Test
    void theCommandsThatNeedNoClusterRunAsWritten(@TempDir Path scratch) throws IOException {
        for (Command c : commands) {
            List<String> a = c.args();
            if (a.isEmpty()) {
                continue;
            }
            boolean filesOnly = !a.contains("--bootstrap-servers") && !a.contains("--topic");
            if (harness(c) && (a.get(0).equals("generate") || a.get(0).equals("encode")) && filesOnly) {
                Run r = run(c, HarnessCli::run, scratch);
                assertThat(r.code()).as("%s\n%s", c, r.err()).isZero();
            } else if (trainer(c) && (a.contains("--help") || a.contains("--version")) && a.size() == 1) {
                Run r = run(c, TrainerCli::run, scratch);
                assertThat(r.code()).as("%s\n%s", c, r.err()).isZero();
                assertThat(r.out()).contains("vigil-trainer");
            }
        }
        assertThat(scratch.resolve("tmp/vigil/history.csv"))
                .as("the walkthrough's history")
                .isNotEmptyFile();
        assertThat(scratch.resolve("tmp/vigil/r.avro"))
                .as("the kcat example's reading")
                .isNotEmptyFile();

        // the README's step 1 on files of the layout it describes: a timestamp, an entity and numeric columns
        Path work = Files.createDirectories(scratch.resolve("own-kafka"));
        Files.createDirectories(work.resolve("history"));
        Files.createDirectories(work.resolve("labelled"));
        assertThat(HarnessCli.run(
                        new String[] {
                            "generate",
                            "--entities",
                            "2",
                            "--events",
                            "900",
                            "--anomalies-per-entity",
                            "3",
                            "--csv",
                            work.resolve("labelled/pumps.csv").toString(),
                            "--history-csv",
                            work.resolve("history/pumps.csv").toString(),
                            "--history-events",
                            "1200"
                        },
                        sink(),
                        sink()))
                .isZero();
        Command train = only("README.md", "model-trainer/bin/vigil-trainer", "train", "bundles/pumps");
        Command evaluate = only("README.md", "model-trainer/bin/vigil-trainer", "evaluate", "bundles/pumps");
        Run trained = run(train, TrainerCli::run, work);
        assertThat(trained.code()).as("%s\n%s", train, trained.err()).isZero();
        Run evaluated = run(evaluate, TrainerCli::run, work);
        assertThat(evaluated.code()).as("%s\n%s", evaluate, evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("1800 rows");
        assertThat(work.resolve("reports/pumps/report.html")).isNotEmptyFile();
    }

    /** Why {@code c} would fail as documented, or null. */
    private static String check(Command c) {
        String p = c.program();
        List<String> a = c.args();
        if (harness(c)) {
            return parse(HarnessCli.commandLine(), p.endsWith("vigil-demo") ? prepend("demo", a) : a);
        }
        if (trainer(c)) {
            return parse(TrainerCli.commandLine(), a);
        }
        return switch (p) {
            case "mvn" -> mvn(a);
            case "deploy/local/bin/vigil-local" -> vigilLocal(a);
            case "flink" -> a.get(0).equals("run") ? job(a.subList(1, a.size())) : "only 'flink run' is checked";
            case "kcat" -> null; // external: see the class comment
            default -> "not a command this check knows: give it a check here";
        };
    }

    private static String parse(CommandLine cli, List<String> args) {
        try {
            cli.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (ParameterException e) {
            return e.getMessage();
        }
    }

    private static String mvn(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-pl")) {
                for (String module : args.get(++i).split(",")) {
                    if (!Files.isRegularFile(ROOT.resolve(module).resolve("pom.xml"))) {
                        return "no module " + module;
                    }
                }
            } else if (!a.startsWith("-") && !PHASES.contains(a)) {
                return "'" + a + "' is not a lifecycle phase";
            }
        }
        return null;
    }

    private static String vigilLocal(List<String> args) {
        String command = args.get(0);
        if (!Pattern.compile("(?m)^  (\\S+ \\| )?" + Pattern.quote(command) + "( |$)")
                        .matcher(vigilLocalHelp)
                        .find()
                && !Pattern.compile("(?m)\\| " + Pattern.quote(command) + "( |$)")
                        .matcher(vigilLocalHelp)
                        .find()) {
            return "vigil-local has no command '" + command + "' (its help: "
                    + vigilLocalHelp.lines().count() + " lines)";
        }
        if (command.equals("submit")) {
            String jarProblem = jar(args.get(1));
            if (jarProblem != null) {
                return jarProblem;
            }
            int dashes = args.indexOf("--");
            if (dashes < 0 || args.get(dashes + 1).startsWith("<")) {
                return null; // no job arguments, or a placeholder for them
            }
            return job(prepend(args.get(1), args.subList(dashes + 1, args.size())));
        }
        return null;
    }

    /** {@code [flags] <jar> <job args>}, as after {@code flink run}. */
    private static String job(List<String> args) {
        int jar = 0;
        while (jar < args.size() && !args.get(jar).endsWith(".jar")) {
            jar++;
        }
        if (jar == args.size()) {
            return "no job jar";
        }
        String jarProblem = jar(args.get(jar));
        if (jarProblem != null) {
            return jarProblem;
        }
        try {
            JobConfig.fromArgs(args.subList(jar + 1, args.size()).toArray(String[]::new));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The job jar's name as flink-job's build writes it (a glob may stand for the version). */
    private static String jar(String path) {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(readPom());
        m.find();
        String built = "flink-job/target/vigil-flink-job-" + m.group(1) + "-job.jar";
        return path.equals(built) || path.equals("flink-job/target/vigil-flink-job-*.jar")
                ? null
                : "the job jar is " + built + ", not " + path;
    }

    private static String readPom() {
        try {
            return Files.readString(ROOT.resolve("flink-job/pom.xml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean harness(Command c) {
        return c.program().equals("test-harness/bin/vigil-harness")
                || c.program().equals("test-harness/bin/vigil-demo");
    }

    private static boolean trainer(Command c) {
        return c.program().equals("model-trainer/bin/vigil-trainer")
                || c.program().equals("vigil-trainer");
    }

    private static Command only(String doc, String program, String sub, String containing) {
        List<Command> found = commands.stream()
                .filter(c -> c.doc().equals(doc)
                        && c.program().equals(program)
                        && c.args().get(0).equals(sub)
                        && c.args().contains(containing))
                .toList();
        assertThat(found)
                .as("%s %s ... %s in %s", program, sub, containing, doc)
                .hasSize(1);
        return found.get(0);
    }

    private record Run(int code, String out, String err) {}

    private interface Cli {
        int run(String[] args, PrintWriter out, PrintWriter err);
    }

    /** Runs a documented command in {@code dir}: its path arguments moved there, its globs expanded. */
    private static Run run(Command c, Cli cli, Path dir) throws IOException {
        List<String> args = new ArrayList<>();
        for (String a : c.args()) {
            if (a.startsWith("-") || !a.contains("/")) {
                args.add(a);
            } else if (a.contains("*")) {
                List<Path> matched = new ArrayList<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(
                        dir.resolve(a.substring(0, a.lastIndexOf('/'))), a.substring(a.lastIndexOf('/') + 1))) {
                    files.forEach(matched::add);
                }
                matched.stream().sorted().forEach(f -> args.add(f.toString()));
            } else {
                Path p = dir.resolve(a.startsWith("/") ? a.substring(1) : a);
                Files.createDirectories(p.getParent());
                args.add(p.toString());
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static PrintWriter sink() {
        return new PrintWriter(new StringWriter());
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>(List.of(first));
        out.addAll(rest);
        return out;
    }

    /** The commands of a document's shell blocks: fenced blocks whose first line is a command or a comment. */
    static List<Command> commands(String doc, String text) {
        List<Command> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("```")) {
                continue;
            }
            String lang = lines[i].substring(3).strip();
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            i = end;
            if (!(lang.isEmpty() || lang.equals("sh") || lang.equals("bash"))
                    || start == end
                    || !shell(lines[start].strip())) {
                continue;
            }
            for (int l = start; l < end; l++) {
                StringBuilder logical = new StringBuilder(stripComment(lines[l]));
                int first = l;
                while (logical.toString().stripTrailing().endsWith("\\") && l + 1 < end) {
                    String s = logical.toString().stripTrailing();
                    logical.setLength(0);
                    logical.append(s, 0, s.length() - 1).append(' ').append(stripComment(lines[++l]));
                }
                String command = logical.toString().strip();
                if (command.isEmpty()) {
                    continue;
                }
                // VAR=$(command): the command inside
                Matcher assign = Pattern.compile("^[A-Z_]+=\\$\\((.*)\\)$").matcher(command);
                if (assign.matches()) {
                    command = assign.group(1);
                }
                List<String> part = new ArrayList<>();
                for (String word : words(command)) { // a pipeline: each of its commands
                    if (word.equals("|")) {
                        out.add(new Command(doc, first + 1, List.copyOf(part)));
                        part.clear();
                    } else {
                        part.add(word);
                    }
                }
                out.add(new Command(doc, first + 1, List.copyOf(part)));
            }
        }
        return out;
    }

    private static boolean shell(String firstLine) {
        return firstLine.startsWith("#")
                || firstLine.startsWith("mvn ")
                || firstLine.startsWith("test-harness/bin/")
                || firstLine.startsWith("model-trainer/bin/")
                || firstLine.startsWith("deploy/local/bin/")
                || firstLine.startsWith("vigil-trainer ")
                || firstLine.startsWith("kcat ")
                || firstLine.startsWith("flink ");
    }

    /** The line without a comment: a {@code #} outside quotes that starts a word. */
    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\'' && !dbl) {
                single = !single;
            } else if (ch == '"' && !single) {
                dbl = !dbl;
            } else if (ch == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Shell words: quotes removed, {@code "$VAR"} kept as {@code <$VAR>}; an unquoted pipe is a word of its own. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char ch = command.charAt(i);
            if (ch == '\'' || ch == '"') {
                int close = command.indexOf(ch, i + 1);
                String quoted = command.substring(i + 1, close);
                w.append(quoted.startsWith("$") ? "<" + quoted + ">" : quoted);
                i = close;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
