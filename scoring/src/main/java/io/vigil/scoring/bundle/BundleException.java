package io.vigil.scoring.bundle;

/** A model bundle that cannot be used: missing, corrupt, or of a format this code does not read. */
public class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
