package io.vigil.bridge;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What Alertmanager must know of Vigil's alerts, and what it has not been told yet. No I/O: the bridge
 * feeds it alert records and tells it what was delivered; it says what to send and what to commit.
 *
 * <p>One Alertmanager alert ({@link Instance}) is one label set. A Vigil alert is one instance from
 * OPEN to RESOLVED; when an UPDATE raises its severity (a label, so routing can page on it), the
 * instance at the old severity is resolved and one at the new severity fires. Labels are fixed at OPEN
 * otherwise (a RESOLVED record written under a newer model resolves the instance that fired).
 *
 * <p><b>Order of delivery.</b> An alert is always sent firing before it is sent resolved, and its
 * resolve waits until it has been firing in Alertmanager for {@code minFiring}: Alertmanager notifies
 * only alerts still firing when their group's {@code group_wait} ends, and Vigil alerts often end
 * sooner. A resolved alert id is never sent firing again (a replay that writes its records again
 * revives nothing).
 *
 * <p><b>Restarts.</b> What was delivered is recorded in Kafka, in the consumer group's committed
 * offset and metadata of each partition ({@link #commits}): every record before the committed offset
 * was delivered, except the RESOLVED records listed in the metadata, which are resolves waiting out
 * {@code minFiring} whose firing was delivered. A new bridge reads the topic from the beginning
 * ({@link #apply} with {@code delivered} from {@link #delivered}) and so knows, for every alert, whether
 * Alertmanager has had it firing, resolved, or not at all: it sends what is missing, and nothing twice
 * that would notify twice. Records from the committed offset on are taken as not delivered: the
 * bridge commits right after every successful request, so only a crash in between can make it send a
 * firing alert again, which Alertmanager takes as the same alert.
 */
public final class AlertTable {

    /** Most held resolves recorded per partition: beyond, the oldest are sent at once (metadata size). */
    static final int MAX_HELD_PER_PARTITION = 200;

    private static final String METADATA_PREFIX = "vigil-alert-bridge/v1 held=";

    /** One Alertmanager alert: a label set, with what it last said and how far it has been delivered. */
    public static final class Instance {
        final String alertId;
        final Map<String, String> labels;
        final int partition;
        Map<String, String> annotations;
        Instant startsAt;
        /** When Vigil resolved it; null while open. */
        Instant endsAt;
        /** Alertmanager has had it firing (in this process, or before a restart). */
        boolean firingDelivered;
        /** When this process first delivered it firing; null if before a restart, or not yet. */
        Instant firingDeliveredAt;
        /** Retired by an escalation: its resolve goes out at once, without a firing first. */
        boolean resolveOnly;
        /** Earliest record whose firing change is not delivered, -1 if none. */
        long firingOffset = -1;
        /** The record that resolved it, while its resolve is not delivered; -1 otherwise. */
        long resolveOffset = -1;
        /** A change (firing or resolve) that Alertmanager has not been sent. */
        boolean dirty;
        /** When the current undelivered change arrived (the age of what is behind). */
        Instant changedAt;

        Instance(String alertId, Map<String, String> labels, int partition) {
            this.alertId = alertId;
            this.labels = Map.copyOf(labels);
            this.partition = partition;
        }

        public Map<String, String> labels() {
            return labels;
        }

        public boolean resolved() {
            return endsAt != null;
        }

        /** A resolve whose firing was delivered, waiting out minFiring. */
        boolean heldResolve() {
            return resolved() && dirty && firingDelivered && firingOffset < 0 && !resolveOnly;
        }

        String key() {
            return alertId + "|" + labels.get(AlertMapping.SEVERITY);
        }
    }

    /** One alert as it is to be sent: firing (valid until {@code endsAt}) or resolved (ended at {@code endsAt}). */
    public record Delivery(
            Instance instance, boolean firing, Instant startsAt, Instant endsAt, Map<String, String> annotations) {
        public Map<String, String> labels() {
            return instance.labels;
        }
    }

    /** A partition's commit: the offset, and the metadata listing held resolves before it. */
    public record Commit(long offset, String metadata) {}

    private final AlertMapping mapping;
    private final Duration minFiring;
    /** Open alerts by alert id: the instance that fires now. */
    private final Map<String, Instance> open = new LinkedHashMap<>();
    /** Resolved instances whose resolve is not delivered yet, by {@link Instance#key}. */
    private final Map<String, Instance> closing = new LinkedHashMap<>();
    /** Alert ids resolved: never fired again. */
    private final Set<String> resolvedIds = new HashSet<>();

    public AlertTable(AlertMapping mapping, Duration minFiring) {
        this.mapping = mapping;
        this.minFiring = minFiring;
    }

    /**
     * Takes in one alert record read at {@code partition}/{@code offset}; {@code delivered}: its effect
     * reached Alertmanager before (a record before the committed offset, on the read after a restart).
     */
    public void apply(Alert a, int partition, long offset, boolean delivered, Instant now) {
        String id = a.getAlertId();
        if (resolvedIds.contains(id)) {
            return; // resolved already: a record written again (a replay) revives nothing
        }
        Instance current = open.get(id);
        if (a.getStatus() == AlertStatus.RESOLVED) {
            resolvedIds.add(id);
            Instance inst = current != null ? open.remove(id) : new Instance(id, mapping.labels(a), partition);
            if (current == null) {
                // its OPEN is older than the topic's retention: it was sent long ago
                inst.annotations = mapping.annotations(a);
                inst.startsAt = a.getDetectionTime();
                inst.firingDelivered = true;
            }
            inst.endsAt = a.getDetectionTime();
            resolve(inst, offset, delivered, now);
            return;
        }
        Map<String, String> labels = mapping.labels(a);
        if (current != null) {
            Map<String, String> fired = withSeverityOf(current.labels, labels);
            if (fired.equals(current.labels)) {
                // same severity (a newer model's records included): the instance that fired stays
                current.annotations = mapping.annotations(a);
                if (!delivered) {
                    firingChanged(current, offset, now);
                }
                return;
            }
            labels = fired; // escalated: the old severity's instance ends, the new one fires
            current.endsAt = a.getDetectionTime();
            current.resolveOnly = true;
            resolve(current, offset, delivered, now);
        }
        Instance next = new Instance(id, labels, partition);
        next.annotations = mapping.annotations(a);
        next.startsAt = a.getDetectionTime();
        open.put(id, next);
        if (delivered) {
            next.firingDelivered = true;
        } else {
            firingChanged(next, offset, now);
        }
    }

    /** The labels of {@code fired} with the severity of {@code latest}. */
    private static Map<String, String> withSeverityOf(Map<String, String> fired, Map<String, String> latest) {
        Map<String, String> labels = new TreeMap<>(fired);
        labels.put(AlertMapping.SEVERITY, latest.get(AlertMapping.SEVERITY));
        return labels;
    }

    private static void firingChanged(Instance inst, long offset, Instant now) {
        if (inst.firingOffset < 0) {
            inst.firingOffset = offset;
        }
        if (!inst.dirty) {
            inst.changedAt = now;
        }
        inst.dirty = true;
    }

    private void resolve(Instance inst, long offset, boolean delivered, Instant now) {
        if (delivered) {
            closing.remove(inst.key());
            return;
        }
        inst.resolveOffset = offset;
        inst.dirty = true;
        inst.changedAt = now;
        closing.put(inst.key(), inst);
    }

    /**
     * What to send now: every open alert whose change is not delivered (all open alerts when
     * {@code resendAll}), firing until {@code now + firingFor}; every resolve whose firing was delivered
     * at least {@code minFiring} ago; and, for a resolved alert Alertmanager never had firing, its firing first.
     */
    public List<Delivery> due(Instant now, boolean resendAll, Duration firingFor) {
        List<Delivery> out = new ArrayList<>();
        Instant validUntil = now.plus(firingFor);
        for (Instance inst : open.values()) {
            if (inst.dirty || resendAll) {
                out.add(new Delivery(inst, true, inst.startsAt, validUntil, inst.annotations));
            }
        }
        for (Instance inst : closing.values()) {
            if (!inst.firingDelivered && !inst.resolveOnly) {
                out.add(new Delivery(inst, true, inst.startsAt, validUntil, inst.annotations));
            } else if (resolveDue(inst, now)) {
                out.add(new Delivery(inst, false, inst.startsAt, inst.endsAt, inst.annotations));
            }
        }
        return out;
    }

    private boolean resolveDue(Instance inst, Instant now) {
        return inst.resolveOnly || inst.firingDeliveredAt == null || !now.isBefore(resolveAt(inst));
    }

    private Instant resolveAt(Instance inst) {
        return inst.firingDeliveredAt == null ? Instant.MIN : inst.firingDeliveredAt.plus(minFiring);
    }

    /** Alertmanager accepted {@code deliveries} at {@code now}. */
    public void delivered(List<Delivery> deliveries, Instant now) {
        for (Delivery d : deliveries) {
            Instance inst = d.instance();
            if (d.firing()) {
                if (!inst.firingDelivered) {
                    inst.firingDelivered = true;
                    inst.firingDeliveredAt = now;
                }
                inst.firingOffset = -1;
                if (!inst.resolved()) {
                    inst.dirty = false;
                    inst.changedAt = null;
                } else {
                    inst.changedAt = resolveAt(inst); // the resolve is behind from the end of its wait on
                }
            } else {
                closing.remove(inst.key());
                inst.resolveOffset = -1;
                inst.dirty = false;
            }
        }
    }

    /**
     * Ends the wait of held resolves beyond {@link #MAX_HELD_PER_PARTITION} in a partition (the oldest
     * first), so the committed metadata stays small; an alert storm gets its resolves sooner.
     */
    public void limitHeld(Instant now) {
        Map<Integer, List<Instance>> byPartition = closing.values().stream()
                .filter(Instance::heldResolve)
                .collect(Collectors.groupingBy(i -> i.partition));
        for (List<Instance> held : byPartition.values()) {
            for (int i = 0; i < held.size() - MAX_HELD_PER_PARTITION; i++) {
                held.get(i).firingDeliveredAt = null;
            }
        }
    }

    /**
     * The commit of each partition, given how far the consumer has read ({@code positions}, next offset
     * to read): up to the first record whose effect is not delivered, with the held resolves before it in
     * the metadata.
     */
    public Map<Integer, Commit> commits(Map<Integer, Long> positions) {
        Map<Integer, Long> upTo = new HashMap<>(positions);
        List<Instance> all = new ArrayList<>(open.values());
        all.addAll(closing.values());
        for (Instance inst : all) {
            long first = -1;
            if (inst.firingOffset >= 0) {
                first = inst.firingOffset;
            }
            if (inst.resolveOffset >= 0 && !inst.heldResolve()) {
                first = first < 0 ? inst.resolveOffset : Math.min(first, inst.resolveOffset);
            }
            if (first >= 0) {
                upTo.merge(inst.partition, first, Math::min);
            }
        }
        Map<Integer, Commit> out = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : upTo.entrySet()) {
            long offset = e.getValue();
            TreeSet<Long> held = new TreeSet<>();
            for (Instance inst : closing.values()) {
                if (inst.partition == e.getKey() && inst.heldResolve() && inst.resolveOffset < offset) {
                    held.add(inst.resolveOffset);
                }
            }
            out.put(
                    e.getKey(),
                    new Commit(
                            offset,
                            METADATA_PREFIX + held.stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        return out;
    }

    /**
     * Whether the record at {@code offset} was delivered, given its partition's committed offset and
     * metadata (null when the group has never committed it).
     */
    public static boolean delivered(long offset, Commit committed) {
        if (committed == null || offset >= committed.offset()) {
            return false;
        }
        return !held(committed.metadata()).contains(offset);
    }

    static Set<Long> held(String metadata) {
        if (metadata == null || !metadata.startsWith(METADATA_PREFIX)) {
            return Set.of();
        }
        String list = metadata.substring(METADATA_PREFIX.length());
        Set<Long> out = new HashSet<>();
        for (String s : list.split(",")) {
            if (!s.isEmpty()) {
                out.add(Long.parseLong(s));
            }
        }
        return out;
    }

    /** Alerts firing in Alertmanager's view (open, plus resolved ones whose resolve is not delivered yet). */
    public int firing() {
        return open.size()
                + (int) closing.values().stream()
                        .filter(i -> i.firingDelivered && !i.resolveOnly)
                        .count();
    }

    /** Changes Alertmanager has not been sent (waiting resolves included). */
    public int pending() {
        return (int) (open.values().stream().filter(i -> i.dirty).count() + closing.size());
    }

    /** Seconds the oldest change due has waited for delivery (a held resolve counts from the end of its wait); 0 if none. */
    public double oldestUndeliveredSeconds(Instant now) {
        Instant oldest = null;
        for (Instance inst : open.values()) {
            if (inst.dirty && inst.changedAt != null && (oldest == null || inst.changedAt.isBefore(oldest))) {
                oldest = inst.changedAt;
            }
        }
        for (Instance inst : closing.values()) {
            Instant since = inst.firingDelivered && !inst.resolveOnly && inst.firingDeliveredAt != null
                    ? resolveAt(inst)
                    : inst.changedAt;
            if (since != null && since.isBefore(now) && (oldest == null || since.isBefore(oldest))) {
                oldest = since;
            }
        }
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
    }
}
