package io.vigil.trainer.history;

/** A history file that cannot be used as it is; the message names the file, line and column at fault. */
public class HistoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HistoryException(String message) {
        super(message);
    }

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
