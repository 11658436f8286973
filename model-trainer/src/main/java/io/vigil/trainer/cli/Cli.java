package io.vigil.trainer.cli;

import io.vigil.scoring.Scorer;
import io.vigil.scoring.Surprise;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.history.HistoryOptions;
import java.util.Locale;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the commands share: turning bad option values into usage errors that name the option, and one-line metrics. */
final class Cli {

    private Cli() {}

    /** A usage error (exit 2) about {@code option}, so the hint can name it. */
    static ParameterException usage(CommandSpec spec, String option, String message) {
        ArgSpec arg = spec.findOption(option);
        String text = message.startsWith(option) ? message : option + ": " + message;
        return arg == null
                ? new ParameterException(spec.commandLine(), text)
                : new ParameterException(spec.commandLine(), text, arg, null);
    }

    /**
     * The scorer's settings at {@code threshold}, or at the bundle's where it is null, after a usage error on
     * {@code --threshold} unless it is a score in (0, 1).
     */
    static Scorer.Settings scorerSettings(CommandSpec spec, Double threshold) {
        if (threshold != null) {
            try {
                Surprise.checkScore(threshold, "--threshold");
            } catch (IllegalArgumentException e) {
                throw usage(spec, "--threshold", e.getMessage());
            }
        }
        return Scorer.Settings.defaults().withThreshold(threshold == null ? Double.NaN : threshold);
    }

    /** {@code validationFraction} -> {@code validation-fraction}, the convention every option follows. */
    static String kebab(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static HistoryOptions historyOptions(CommandSpec spec, HistoryOptionsMixin m) {
        try {
            return m.toOptions(spec);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--value-columns", e.getMessage());
        }
    }

    /**
     * E.g. {@code 1200 events (40 anomalous): precision 0.91 recall 0.80 F1 0.85 FAR 0.0040 ...}; without
     * labelled anomalies (training on normal-only history) precision, recall and F1 mean nothing, so the
     * line says so and gives the false-alarm rate on those held-out normal events instead.
     */
    static String metrics(EvaluationReport r) {
        var c = r.confusion();
        if (r.anomalousEvents() == 0) {
            return String.format(
                    Locale.ROOT,
                    "%d events, no labelled anomalies: false-alarm rate %.4f (%d of %d"
                            + " normal events over the threshold); precision, recall and F1 need labelled anomalies (--evaluate-on)",
                    r.events(),
                    c.falseAlarmRate(),
                    c.fp(),
                    c.fp() + c.tn());
        }
        String ranking = r.ranking()
                .map(m -> String.format(Locale.ROOT, "  ROC-AUC %.3f  PR-AUC %.3f", m.rocAuc(), m.prAuc()))
                .orElse("  (ROC/PR need both classes)");
        return String.format(
                Locale.ROOT,
                "%d events (%d anomalous): precision %.3f  recall %.3f  F1 %.3f  FAR %.4f  MAR %.3f%s"
                        + "  [tp %d fp %d fn %d tn %d]",
                r.events(),
                r.anomalousEvents(),
                c.precision(),
                c.recall(),
                c.f1(),
                c.falseAlarmRate(),
                c.missedAlarmRate(),
                ranking,
                c.tp(),
                c.fp(),
                c.fn(),
                c.tn());
    }
}
