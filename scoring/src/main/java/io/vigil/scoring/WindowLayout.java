package io.vigil.scoring;

/**
 * The autoencoder's input layout, defined once for the trainer (which cuts windows out of history)
 * and the scorer (which keeps each key's latest vectors in a ring buffer): W standardised vectors,
 * oldest first, each vector's C channels together (time-major: {@code t0: c0..cC-1, t1: ...}).
 */
public final class WindowLayout {

    private WindowLayout() {}

    /** Copies the W rows starting at row {@code first} of time-ordered {@code rows} (C values each). */
    public static void fromRows(float[] rows, int first, int w, int c, float[] out, int offset) {
        System.arraycopy(rows, first * c, out, offset, w * c);
    }

    /** Copies a ring buffer of W rows whose oldest row is at {@code head} (the next slot to write). */
    public static void fromRing(float[] ring, int head, int w, int c, float[] out, int offset) {
        int tail = (w - head) * c;
        System.arraycopy(ring, head * c, out, offset, tail);
        System.arraycopy(ring, 0, out, offset + tail, head * c);
    }
}
