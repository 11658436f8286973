package io.vigil.job.io;

import java.util.List;

/**
 * A record the job could not score, with why; written to the dead-letter topic as the original bytes
 * with the reason and the source coordinates in headers, so it can be inspected and replayed.
 */
public class DeadLetter {

    /** The reasons, as they appear in the {@code vigil.reason} header and the metrics. */
    public static final String UNDECODABLE = "undecodable";

    public static final String UNKNOWN_SCHEMA = "unknown-schema";
    public static final String EMPTY_VALUE = "empty-value";
    public static final String EMPTY_ENTITY = "empty-entity";
    public static final String BAD_TIMESTAMP = "bad-timestamp";
    public static final String MISSING_CHANNEL = "missing-channel";
    public static final String INVALID_VALUE = "invalid-value";
    /** Larger than a reading may be: the record's bytes, its channels or tags, or its entity id. */
    public static final String OVERSIZED = "oversized";

    public static final String LATE = "late";
    /** A transaction or confirmed label without its id or merchant. */
    public static final String MISSING_FIELD = "missing-field";
    /** The reasons decoding gives; {@link #LATE} is the scoring operator's. */
    public static final List<String> DECODE_REASONS = List.of(
            UNDECODABLE,
            UNKNOWN_SCHEMA,
            EMPTY_VALUE,
            EMPTY_ENTITY,
            BAD_TIMESTAMP,
            MISSING_CHANNEL,
            INVALID_VALUE,
            OVERSIZED);
    /** The reasons decoding transactions and confirmed labels gives. */
    public static final List<String> TRANSACTION_REASONS = List.of(
            UNDECODABLE,
            UNKNOWN_SCHEMA,
            EMPTY_VALUE,
            EMPTY_ENTITY,
            BAD_TIMESTAMP,
            MISSING_FIELD,
            INVALID_VALUE,
            OVERSIZED);

    public byte[] key;
    public byte[] value;
    public String reason;
    public String detail;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;

    public DeadLetter() {}

    public DeadLetter(
            byte[] key,
            byte[] value,
            String reason,
            String detail,
            String topic,
            int partition,
            long offset,
            long timestamp) {
        this.key = key;
        this.value = value;
        this.reason = reason;
        this.detail = detail;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    @Override
    public String toString() {
        return reason + " (" + detail + ") at " + topic + "-" + partition + "@" + offset;
    }
}
