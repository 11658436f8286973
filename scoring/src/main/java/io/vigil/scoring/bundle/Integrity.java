package io.vigil.scoring.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code integrity.json} records beside a bundle's manifest, so that every byte that affects
 * scoring is covered: the manifest's SHA-256 (the manifest in turn records the SHA-256 of every other
 * file), a digest of each of its values (so that a changed value is named, not only detected), and,
 * when a {@link SigningKey} is configured, the manifest's HMAC-SHA256 under that key.
 *
 * <p>Without a key this catches a manifest edited by hand or damaged (the threshold changed in a
 * published bundle); it cannot stop someone who rewrites integrity.json as well: that takes a key,
 * which only the trainer and the readers hold.
 *
 * @param format this record's layout version
 * @param manifestSha256 SHA-256 of {@code manifest.json} as written
 * @param manifestFields per value of the manifest (a dotted path: {@code alert.threshold},
 *     {@code keyNormalisers.pump-7.mean}; arrays are one value), the first 16 hex digits of the
 *     SHA-256 of its JSON: to name what changed
 * @param keyId the id of the key that signed the manifest ({@link SigningKey#id}), or null
 * @param hmacSha256 HMAC-SHA256 of {@code manifest.json} under that key, or null when unsigned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Integrity(
        int format, String manifestSha256, Map<String, String> manifestFields, String keyId, String hmacSha256) {

    public static final String FILE = "integrity.json";
    public static final int FORMAT = 1;

    /** The record of a manifest as written, signed when {@code key} is not null. */
    public static Integrity of(byte[] manifestBytes, SigningKey key) {
        return new Integrity(
                FORMAT,
                Checksums.sha256(manifestBytes),
                fields(manifestBytes),
                key == null ? null : key.id(),
                key == null ? null : key.sign(manifestBytes));
    }

    /**
     * Checks the manifest of the bundle in {@code files} against its integrity record and, when
     * {@code key} is not null, its signature; throws naming the file and the field when they differ.
     */
    public static void verify(BundleFiles files, byte[] manifestBytes, SigningKey key) {
        Integrity recorded = read(files);
        String where = "Bundle at " + files.location() + ": ";
        String actualSha = Checksums.sha256(manifestBytes);
        if (!actualSha.equalsIgnoreCase(recorded.manifestSha256())) {
            throw new BundleException(where + BundleManifest.MANIFEST_FILE
                    + " was changed after the bundle was written: "
                    + changed(recorded, manifestBytes) + " (its SHA-256 is " + actualSha + ", " + FILE + " records "
                    + recorded.manifestSha256() + "); refusing it");
        }
        if (key == null) {
            return;
        }
        if (recorded.hmacSha256() == null) {
            throw new BundleException(where + "it is not signed, but " + key + " is configured ("
                    + SigningKey.FILE_VARIABLE + " or " + SigningKey.KEY_VARIABLE
                    + "): refusing an unsigned bundle; train it with the key configured");
        }
        if (!key.verifies(manifestBytes, recorded.hmacSha256())) {
            String fields = changed(recorded, manifestBytes);
            throw new BundleException(
                    where + "the signature in " + FILE + " does not match " + BundleManifest.MANIFEST_FILE
                            + " under " + key + " (the bundle names key " + recorded.keyId() + "): "
                            + (fields.startsWith("field")
                                    ? fields + ", and " + FILE + " was rewritten to match"
                                    : "the manifest or its record was changed after signing, or another key signed it")
                            + "; refusing it");
        }
    }

    /** The digest of each value of a manifest, by dotted path. */
    static Map<String, String> fields(byte[] manifestBytes) {
        JsonNode root;
        try {
            root = BundleReader.JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new BundleException(BundleManifest.MANIFEST_FILE + " is not JSON: " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        flatten("", root, out);
        return out;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(
                    path,
                    Checksums.sha256(node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .substring(0, 16));
        }
    }

    /** Names the values of the manifest that differ from what the record says it held. */
    private static String changed(Integrity recorded, byte[] manifestBytes) {
        Map<String, String> now;
        try {
            now = fields(manifestBytes);
        } catch (BundleException e) {
            return e.getMessage();
        }
        Map<String, String> before = recorded.manifestFields() == null ? Map.of() : recorded.manifestFields();
        List<String> differ = new ArrayList<>();
        for (String f : before.keySet()) {
            if (!before.get(f).equals(now.get(f))) {
                differ.add(now.containsKey(f) ? f : f + " (removed)");
            }
        }
        for (String f : now.keySet()) {
            if (!before.containsKey(f)) {
                differ.add(f + " (added)");
            }
        }
        if (differ.isEmpty()) {
            return "its bytes differ but every value is as written (reformatted?)";
        }
        int shown = Math.min(5, differ.size());
        return (differ.size() == 1 ? "field " : "fields ") + String.join(", ", differ.subList(0, shown))
                + (differ.size() > shown ? " and " + (differ.size() - shown) + " more" : "") + " changed";
    }

    private static Integrity read(BundleFiles files) {
        byte[] bytes;
        try {
            bytes = files.read(FILE);
        } catch (IOException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": " + FILE + " is missing or unreadable ("
                            + e.getMessage()
                            + "), so nothing covers the manifest's values; refusing it (bundles written by"
                            + " this Vigil's trainer have one)",
                    e);
        }
        try {
            Integrity i = BundleReader.JSON.readValue(bytes, Integrity.class);
            if (i.format() != FORMAT || i.manifestSha256() == null) {
                throw new BundleException("Bundle at " + files.location() + ": " + FILE + " has format " + i.format()
                        + (i.manifestSha256() == null ? " and no manifestSha256" : "") + "; this Vigil reads format "
                        + FORMAT);
            }
            return i;
        } catch (IOException e) {
            throw new BundleException(
                    "Bundle at " + files.location() + ": " + FILE + " is not valid: " + e.getMessage(), e);
        }
    }
}
