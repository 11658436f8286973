package io.vigil.trainer.publish;

/**
 * The bundle is in the store but could not be announced; the message says where the bundle is and
 * the command that announces it once Kafka is reachable.
 */
public class AnnounceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Publication published;

    public AnnounceException(String message, Publication published, Throwable cause) {
        super(message, cause);
        this.published = published;
    }

    /** The bundle that is in the store, unannounced. */
    public Publication published() {
        return published;
    }
}
