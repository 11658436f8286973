package io.vigil.harness.demo;

import io.vigil.harness.transactions.FraudPattern;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGenerator.Incident;
import io.vigil.harness.transactions.TransactionGenerator.Labelled;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the transaction demo injected against what its committed alerts found, for the console and for
 * {@code report.json}. A transaction is alerted when an alert of its account was open at its time (from the
 * OPEN record's event time to the RESOLVED one's, inclusive); an incident is found when one of its fraud
 * transactions is alerted.
 *
 * @param alertsOpened OPEN records, of which {@code openedAtFraud} opened at a fraud transaction
 * @param patterns per injected pattern, what was found
 */
public record TransactionDemoReport(
        String finishedAt,
        TransactionDemoOptions options,
        String modelId,
        String modelVersion,
        long transactionsSent,
        long garbageSent,
        long deadLettered,
        long scored,
        long scoresExpected,
        long alertsOpened,
        long alertsResolved,
        long openedAtFraud,
        List<Found> patterns,
        double seconds) {

    /** One fraud pattern: incidents injected and found, fraud transactions and those inside an open alert. */
    public record Found(String pattern, int incidents, int incidentsFound, long frauds, long fraudsAlerted) {}

    public TransactionDemoReport {
        patterns = List.copyOf(patterns);
    }

    /** Judges the committed {@code alerts} against what the generator injected. */
    public static List<Found> judge(TransactionGenerator.Generated g, List<Alert> alerts) {
        Map<String, List<long[]>> open = openIntervals(alerts);
        Map<FraudPattern, int[]> incidents = new EnumMap<>(FraudPattern.class);
        for (Incident i : g.incidents()) {
            boolean found = g.transactions().stream()
                    .filter(l -> l.pattern() == i.pattern()
                            && (l.tx().accountId().equals(i.subject())
                                    || l.tx().merchantId().equals(i.subject()))
                            && l.tx().eventTime() >= i.start().toEpochMilli()
                            && l.tx().eventTime() <= i.end().toEpochMilli())
                    .anyMatch(l -> alerted(open, l));
            int[] n = incidents.computeIfAbsent(i.pattern(), p -> new int[2]);
            n[0]++;
            n[1] += found ? 1 : 0;
        }
        Map<FraudPattern, long[]> frauds = new EnumMap<>(FraudPattern.class);
        for (Labelled l : g.transactions()) {
            if (l.fraud()) {
                long[] n = frauds.computeIfAbsent(l.pattern(), p -> new long[2]);
                n[0]++;
                n[1] += alerted(open, l) ? 1 : 0;
            }
        }
        List<Found> out = new ArrayList<>();
        for (FraudPattern p : FraudPattern.values()) {
            int[] i = incidents.getOrDefault(p, new int[2]);
            long[] f = frauds.getOrDefault(p, new long[2]);
            if (i[0] > 0) {
                out.add(new Found(p.label(), i[0], i[1], f[0], f[1]));
            }
        }
        return out;
    }

    /** OPEN records whose transaction is a fraud. */
    public static long openedAtFraud(TransactionGenerator.Generated g, List<Alert> alerts) {
        Map<String, Boolean> fraud = new HashMap<>();
        g.transactions().forEach(l -> fraud.put(l.tx().transactionId(), l.fraud()));
        return alerts.stream()
                .filter(a -> a.getStatus() == AlertStatus.OPEN
                        && a.getEventId() != null
                        && fraud.getOrDefault(a.getEventId(), false))
                .count();
    }

    /** Per account, the event-time spans its alerts were open (an alert still open at the end: to the end of time). */
    private static Map<String, List<long[]>> openIntervals(List<Alert> alerts) {
        Map<String, List<long[]>> spans = new HashMap<>();
        Map<String, Long> openSince = new HashMap<>();
        for (Alert a : AlertFormat.inTimeOrder(alerts)) {
            long t = a.getEventTime().toEpochMilli();
            if (a.getStatus() == AlertStatus.OPEN) {
                openSince.putIfAbsent(a.getEntityId(), t);
            } else if (a.getStatus() == AlertStatus.RESOLVED && openSince.containsKey(a.getEntityId())) {
                spans.computeIfAbsent(a.getEntityId(), k -> new ArrayList<>())
                        .add(new long[] {openSince.remove(a.getEntityId()), t});
            }
        }
        openSince.forEach((account, since) ->
                spans.computeIfAbsent(account, k -> new ArrayList<>()).add(new long[] {since, Long.MAX_VALUE}));
        return spans;
    }

    private static boolean alerted(Map<String, List<long[]>> open, Labelled l) {
        long t = l.tx().eventTime();
        for (long[] span : open.getOrDefault(l.tx().accountId(), List.of())) {
            if (span[0] <= t && t <= span[1]) {
                return true;
            }
        }
        return false;
    }

    public String toText() {
        StringBuilder s = new StringBuilder("Summary\n");
        line(
                s,
                "transactions sent",
                "%,d of %d accounts, plus %,d bad records",
                transactionsSent,
                options.accounts(),
                garbageSent);
        line(s, "scored", "%,d of %,d expected (an account is scored once its window is full)", scored, scoresExpected);
        line(s, "dead-lettered", "%,d of %,d bad records; the job kept scoring", deadLettered, garbageSent);
        line(
                s,
                "alerts",
                "%d opened (%d at a fraud transaction, %d at a genuine one), %d resolved (model %s/%s)",
                alertsOpened,
                openedAtFraud,
                alertsOpened - openedAtFraud,
                alertsResolved,
                modelId,
                modelVersion);
        for (Found f : patterns) {
            line(
                    s,
                    f.pattern(),
                    "%d of %d incidents found; %d of %d fraud transactions inside an open alert",
                    f.incidentsFound(),
                    f.incidents(),
                    f.fraudsAlerted(),
                    f.frauds());
        }
        line(s, "took", "%.0f s", seconds);
        return s.toString();
    }

    /** Everything, for {@code report.json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finishedAt", finishedAt);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("workDir", options.workDir().toString());
        o.put("accounts", options.accounts());
        o.put("days", options.days());
        o.put("fraudRate", options.fraudRate());
        o.put("rate", options.rate());
        o.put("garbageFraction", options.garbageFraction());
        o.put("parallelism", options.parallelism());
        o.put("maxEpochs", options.maxEpochs());
        o.put("seed", options.seed());
        m.put("options", o);
        m.put("modelId", modelId);
        m.put("modelVersion", modelVersion);
        m.put("transactionsSent", transactionsSent);
        m.put("garbageSent", garbageSent);
        m.put("deadLettered", deadLettered);
        m.put("scored", scored);
        m.put("scoresExpected", scoresExpected);
        m.put("alertsOpened", alertsOpened);
        m.put("alertsOpenedAtFraud", openedAtFraud);
        m.put("alertsResolved", alertsResolved);
        m.put("patterns", patterns);
        m.put("seconds", seconds);
        return m;
    }

    private static void line(StringBuilder s, String label, String format, Object... args) {
        s.append(String.format(Locale.ROOT, "  %-20s %s%n", label, String.format(Locale.ROOT, format, args)));
    }
}
