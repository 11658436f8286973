package io.vigil.trainer.cli;

import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.trainer.history.Timestamps;
import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionHistory;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** What the transaction commands share: reading their column options and times, cutting a history by time. */
final class TransactionCommands {

    private TransactionCommands() {}

    static TransactionColumns columns(CommandSpec spec, TransactionColumnsMixin m) {
        try {
            return m.toColumns();
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, e.getMessage().contains("zone") ? "--time-zone" : "--separator", e.getMessage());
        }
    }

    /** A time option (epoch s/ms or ISO-8601, UTC where no offset is written) as epoch ms. */
    static long time(CommandSpec spec, String option, String text) {
        try {
            return Timestamps.parse(text, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, option, "'" + text + "' is " + e.getMessage());
        }
    }

    /** The transactions before {@code cut} (all when it is MAX_VALUE), labels and patterns kept alongside. */
    static TransactionHistory before(TransactionHistory h, long cut) {
        if (cut == Long.MAX_VALUE) {
            return h;
        }
        List<TransactionEvent> txs = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < h.transactions().size(); i++) {
            if (h.transactions().get(i).eventTime() < cut) {
                txs.add(h.transactions().get(i));
                kept.add(i);
            }
        }
        if (txs.isEmpty()) {
            throw new IllegalArgumentException(
                    "No transaction of " + h.sources() + " is before " + java.time.Instant.ofEpochMilli(cut));
        }
        boolean[] fraud = h.fraud() == null ? null : new boolean[txs.size()];
        String[] patterns = h.patterns() == null ? null : new String[txs.size()];
        for (int j = 0; j < kept.size(); j++) {
            if (fraud != null) {
                fraud[j] = h.fraud()[kept.get(j)];
            }
            if (patterns != null) {
                patterns[j] = h.patterns()[kept.get(j)];
            }
        }
        return new TransactionHistory(txs, fraud, patterns, h.sources());
    }

    static long frauds(TransactionHistory h) {
        long n = 0;
        for (boolean f : h.fraud()) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
