package io.vigil.trainer.cli;

import io.vigil.trainer.history.Timestamps;
import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionHistory;
import java.time.ZoneOffset;
import picocli.CommandLine.Model.CommandSpec;

/** What the transaction commands share (the trainer's and the harness's): reading their column options and times. */
public final class TransactionCommands {

    private TransactionCommands() {}

    /** The columns the options name; a bad separator or zone is a usage error naming its option. */
    public static TransactionColumns columns(CommandSpec spec, TransactionColumnsMixin m) {
        return m.toColumns(spec);
    }

    /** A time option (epoch s/ms or ISO-8601, UTC where no offset is written) as epoch ms. */
    public static long time(CommandSpec spec, String option, String text) {
        try {
            return Timestamps.parse(text, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, option, "'" + text + "' is " + e.getMessage());
        }
    }

    /** How many of a labelled history's transactions are fraud. */
    public static long frauds(TransactionHistory h) {
        long n = 0;
        for (boolean f : h.fraud()) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
