package io.vigil.trainer.training;

/** A configuration value that cannot work; {@link #field()} names it so a CLI can name its option. */
public class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The record component at fault, e.g. {@code validationFraction}. */
    public String field() {
        return field;
    }
}
