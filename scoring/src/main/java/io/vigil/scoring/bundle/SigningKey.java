package io.vigil.scoring.bundle;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 key that signs model bundles and that every reader of them verifies. It is
 * configured, never given on a command line: {@value #FILE_VARIABLE} names a file holding the key
 * (its bytes as they are, a trailing newline dropped), or {@value #KEY_VARIABLE} holds the key itself.
 * When a key is configured, the trainer signs what it writes and every reader (the trainer's
 * commands, the job) refuses a bundle that is unsigned or signed with another key.
 *
 * <p>{@link #toString} shows the key's id (the first 8 bytes of its SHA-256), never the key.
 */
public final class SigningKey implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Environment variable naming a file that holds the key. */
    public static final String FILE_VARIABLE = "VIGIL_MODEL_KEY_FILE";
    /** Environment variable holding the key itself (when no file is named). */
    public static final String KEY_VARIABLE = "VIGIL_MODEL_KEY";
    /** The one algorithm: an HMAC with SHA-256. */
    public static final String ALGORITHM = "HmacSHA256";
    /** Keys shorter than this are refused: HMAC-SHA256 wants at least as many bytes as its output. */
    public static final int MIN_BYTES = 32;

    private final byte[] key;
    private final String id;

    private SigningKey(byte[] key, String source) {
        if (key.length < MIN_BYTES) {
            throw new BundleException("The model signing key from " + source + " has " + key.length
                    + " bytes; use at least " + MIN_BYTES + " (e.g. head -c 32 /dev/urandom | base64 > key)");
        }
        this.key = key.clone();
        this.id = HexFormat.of().formatHex(digest(key), 0, 8);
    }

    /** A key from its bytes (tests, or a caller that holds it already). */
    public static SigningKey of(byte[] key) {
        return new SigningKey(key, "the caller");
    }

    /** The key in a file: its bytes, without a trailing newline. */
    public static SigningKey fromFile(Path file) {
        try {
            return new SigningKey(trimNewline(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new BundleException(
                    "Cannot read the model signing key file " + file + " (" + FILE_VARIABLE + "): " + e.getMessage(),
                    e);
        }
    }

    /** The key configured in this process's environment, or null when none is. */
    public static SigningKey fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** The key configured in {@code env} ({@value #FILE_VARIABLE}, else {@value #KEY_VARIABLE}), or null. */
    public static SigningKey fromEnvironment(Map<String, String> env) {
        String file = env.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file.trim()));
        }
        String value = env.get(KEY_VARIABLE);
        if (value != null && !value.isBlank()) {
            return new SigningKey(trimNewline(value.getBytes(StandardCharsets.UTF_8)), KEY_VARIABLE);
        }
        return null;
    }

    /** HMAC-SHA256 of {@code bytes} under this key, as lowercase hex. */
    public String sign(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("This JVM cannot compute " + ALGORITHM, e);
        }
    }

    /** Whether {@code signature} is this key's HMAC of {@code bytes} (compared in constant time). */
    public boolean verifies(byte[] bytes, String signature) {
        return signature != null
                && MessageDigest.isEqual(
                        sign(bytes).getBytes(StandardCharsets.US_ASCII),
                        signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** The first 8 bytes of the key's SHA-256 in hex: names the key in a bundle and in messages. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return "signing key " + id;
    }

    private static byte[] trimNewline(byte[] b) {
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
            n--;
        }
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    private static byte[] digest(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
