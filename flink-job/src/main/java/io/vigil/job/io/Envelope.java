package io.vigil.job.io;

/** What the source emits per Kafka record: a scorable event or a dead letter (exactly one is set). */
public class Envelope {

    public SensorEvent event;
    public DeadLetter deadLetter;

    public Envelope() {}

    public static Envelope of(SensorEvent event) {
        Envelope e = new Envelope();
        e.event = event;
        return e;
    }

    public static Envelope dead(DeadLetter deadLetter) {
        Envelope e = new Envelope();
        e.deadLetter = deadLetter;
        return e;
    }

    public boolean isEvent() {
        return event != null;
    }
}
