package io.vigil.harness.write;

import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.schemas.ConfirmedLabel;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.WireFormat;
import io.vigil.scoring.transactions.TransactionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Produces transactions to Kafka as a payment system would: key = account id, value = the {@link Transaction}
 * in Vigil's wire format, in the order given (time order), optionally paced and with a fraction of extra bad
 * records the job must dead-letter. With a labels topic it plays the fraud team too: every fraud is
 * confirmed {@code confirmationDelay} after it happened, as a {@link ConfirmedLabel} keyed by merchant,
 * written when the stream's time reaches its confirmation, so labels and transactions interleave in event
 * time as they would live.
 */
public final class KafkaTransactionWriter implements AutoCloseable {

    /** The kinds of bad record mixed in; each must reach the transaction dead-letter topic with its reason. */
    public enum Garbage {
        /** Random bytes without the single-object marker: {@code undecodable}. */
        UNDECODABLE("undecodable"),
        /** No account: {@code empty-entity}. */
        MISSING_ACCOUNT("empty-entity"),
        /** A negative amount: {@code invalid-value}. */
        NEGATIVE_AMOUNT("invalid-value"),
        /** A NaN amount: {@code invalid-value}. */
        NAN_AMOUNT("invalid-value"),
        /** An event time at 1970: {@code bad-timestamp}. */
        BAD_TIME("bad-timestamp"),
        /** No merchant: {@code missing-field}. */
        MISSING_MERCHANT("missing-field");

        private final String reason;

        Garbage(String reason) {
            this.reason = reason;
        }

        /** The dead-letter reason the job gives it. */
        public String reason() {
            return reason;
        }
    }

    /**
     * Where and how to write. {@code labelsTopic} null: no confirmed labels. {@code eventsPerSecond} 0: as
     * fast as the broker takes them; {@code garbageFraction}: extra bad records per transaction.
     */
    public record Config(
            String bootstrapServers,
            String topic,
            String labelsTopic,
            Duration confirmationDelay,
            double eventsPerSecond,
            double garbageFraction,
            long garbageSeed,
            Map<String, String> producerOverrides) {

        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrap servers are required (host:port)");
            Objects.requireNonNull(topic, "topic is required");
            if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
                throw new IllegalArgumentException("the rate must be 0 (unthrottled) or a positive number of"
                        + " transactions/s, got " + eventsPerSecond);
            }
            if (!(garbageFraction >= 0 && garbageFraction <= 1)) {
                throw new IllegalArgumentException(
                        "the garbage fraction must be between 0 and 1, got " + garbageFraction);
            }
            confirmationDelay = confirmationDelay == null ? Duration.ofDays(7) : confirmationDelay;
            producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
        }

        public static Config of(String bootstrapServers, String topic) {
            return new Config(bootstrapServers, topic, null, Duration.ofDays(7), 0, 0, 0, Map.of());
        }

        public Config withLabels(String labels, Duration delay) {
            return new Config(
                    bootstrapServers,
                    topic,
                    labels,
                    delay,
                    eventsPerSecond,
                    garbageFraction,
                    garbageSeed,
                    producerOverrides);
        }

        public Config withRate(double rate) {
            return new Config(
                    bootstrapServers,
                    topic,
                    labelsTopic,
                    confirmationDelay,
                    rate,
                    garbageFraction,
                    garbageSeed,
                    producerOverrides);
        }

        public Config withGarbage(double fraction, long seed) {
            return new Config(
                    bootstrapServers,
                    topic,
                    labelsTopic,
                    confirmationDelay,
                    eventsPerSecond,
                    fraction,
                    seed,
                    producerOverrides);
        }

        /** Client settings of a cluster that wants them (security.protocol, sasl.*, ssl.*), over the writer's own. */
        public Config withProducerConfigs(Map<String, String> overrides) {
            return new Config(
                    bootstrapServers,
                    topic,
                    labelsTopic,
                    confirmationDelay,
                    eventsPerSecond,
                    garbageFraction,
                    garbageSeed,
                    overrides);
        }
    }

    /** What was written. */
    public record Report(
            long transactions, long labels, Map<Garbage, Long> garbage, long failedSends, long elapsedMillis) {

        public Report {
            garbage = Map.copyOf(garbage);
        }

        public long garbageTotal() {
            return garbage.values().stream().mapToLong(Long::longValue).sum();
        }

        public String toText() {
            return String.format(
                    Locale.ROOT,
                    "%,d transactions + %,d bad records, %,d confirmed labels in %.1f s%s",
                    transactions,
                    garbageTotal(),
                    labels,
                    elapsedMillis / 1000.0,
                    failedSends == 0 ? "" : ", " + failedSends + " FAILED sends");
        }
    }

    private final Config config;
    private final ByteProducer producer;
    private final Pacer pacer;
    private final Random garbageRandom;
    private final Map<Garbage, Long> garbage = new EnumMap<>(Garbage.class);
    private final PriorityQueue<ConfirmedLabel> pending =
            new PriorityQueue<>((a, b) -> a.getConfirmedAt().compareTo(b.getConfirmedAt()));
    private long transactions;
    private long labels;
    private double garbageOwed;
    private Report report;

    public KafkaTransactionWriter(Config config) {
        this.config = config;
        this.garbageRandom = new Random(config.garbageSeed());
        for (Garbage g : Garbage.values()) {
            garbage.put(g, 0L);
        }
        this.pacer = new Pacer(config.eventsPerSecond());
        this.producer = new ByteProducer(config.bootstrapServers(), config.producerOverrides());
    }

    /** Writes one transaction (and, before it, the labels confirmed by its time). */
    public void accept(TransactionGenerator.Labelled l) {
        accept(l.tx(), l.fraud());
    }

    /**
     * Writes one transaction (and, before it, the labels confirmed by its time); with a labels topic, a
     * {@code fraud} is confirmed {@link Config#confirmationDelay} after it.
     */
    public void accept(TransactionEvent t, boolean fraud) {
        if (report != null) {
            throw new IllegalStateException("the writer is finished; open a new one to write more");
        }
        producer.throwIfFailed(config.topic(), transactions, "transactions");
        pacer.awaitTurn(transactions);
        labelsUntil(t.eventTime());
        Transaction tx = t.toAvro();
        byte[] key = t.accountId().getBytes(StandardCharsets.UTF_8);
        send(config.topic(), key, WireFormat.encode(tx));
        transactions++;
        if (config.labelsTopic() != null && fraud) {
            pending.add(ConfirmedLabel.newBuilder()
                    .setTransactionId(t.transactionId())
                    .setMerchantId(t.merchantId())
                    .setFraud(true)
                    .setConfirmedAt(Instant.ofEpochMilli(t.eventTime()).plus(config.confirmationDelay()))
                    .build());
        }
        garbageOwed += config.garbageFraction();
        while (garbageOwed >= 1) {
            garbageOwed -= 1;
            sendGarbage(key, tx);
        }
    }

    /** Writes the labels confirmed by {@code time}. */
    private void labelsUntil(long time) {
        while (!pending.isEmpty() && pending.peek().getConfirmedAt().toEpochMilli() <= time) {
            ConfirmedLabel c = pending.poll();
            send(config.labelsTopic(), c.getMerchantId().getBytes(StandardCharsets.UTF_8), WireFormat.encode(c));
            labels++;
        }
    }

    /** Sends what is buffered and waits until the broker has it (the writer stays open). */
    public void flush() {
        producer.flush();
    }

    /** Flushes (with the labels still pending, whose confirmations lie beyond the last transaction) and reports. */
    public Report finish() {
        if (report == null) {
            labelsUntil(Long.MAX_VALUE);
            producer.flush();
            report = new Report(transactions, labels, garbage, producer.failedSends(), pacer.elapsedMillis());
        }
        return report;
    }

    public Exception firstFailure() {
        return producer.firstFailure();
    }

    @Override
    public void close() {
        try {
            finish();
        } finally {
            producer.close();
        }
    }

    private void sendGarbage(byte[] key, Transaction tx) {
        Garbage kind = Garbage.values()[garbageRandom.nextInt(Garbage.values().length)];
        Transaction.Builder b = Transaction.newBuilder(tx).setTransactionId(tx.getTransactionId() + "-bad");
        byte[] value = switch (kind) {
            case UNDECODABLE -> ByteProducer.undecodable(garbageRandom);
            case MISSING_ACCOUNT -> WireFormat.encode(b.setAccountId("").build());
            case NEGATIVE_AMOUNT ->
                WireFormat.encode(b.setAmount(-1 - garbageRandom.nextInt(100)).build());
            case NAN_AMOUNT -> WireFormat.encode(b.setAmount(Double.NaN).build());
            case BAD_TIME -> WireFormat.encode(b.setEventTime(Instant.EPOCH).build());
            case MISSING_MERCHANT -> WireFormat.encode(b.setMerchantId("").build());
        };
        send(config.topic(), key, value);
        garbage.merge(kind, 1L, Long::sum);
    }

    private void send(String topic, byte[] key, byte[] value) {
        producer.send(topic, key, value);
    }
}
