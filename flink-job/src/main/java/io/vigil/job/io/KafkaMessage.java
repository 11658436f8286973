package io.vigil.job.io;

/** An already encoded output record (alert or score): key, value and record timestamp. */
public class KafkaMessage {

    public byte[] key;
    public byte[] value;
    public long timestamp;

    public KafkaMessage() {}

    public KafkaMessage(byte[] key, byte[] value, long timestamp) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }
}
