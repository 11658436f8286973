package io.vigil.harness;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the harness command line in this JVM: its exit code and what it printed to out and err. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarnessCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }
}
