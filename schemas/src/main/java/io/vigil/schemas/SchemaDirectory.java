package io.vigil.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.message.SchemaStore;

/**
 * Writer schemas newer than the code, from a directory of Avro schema files ({@code *.avsc}): a
 * producer team that moves to a new version of a record puts its schema there first, and a running
 * job reads that producer's messages without a restart. The directory is listed again only when a
 * fingerprint is not known and the directory has changed since it was last listed (its modification
 * time), so messages of unknown schemas (hostile input) cost one {@code stat} each; within a second
 * of a change every miss lists it again, since the file system's clock is coarse enough for a second
 * change to keep the same time. Put a file in
 * place by writing it under another name and renaming it to {@code *.avsc}: a file that does not parse
 * is skipped until the directory changes again, and named by {@link #problems()}. Not thread-safe:
 * one per decoder.
 */
public final class SchemaDirectory implements SchemaStore {

    /** How long after a change a directory is taken as settled (no other change hidden in its time). */
    private static final long SETTLED_MILLIS = 1000;

    private final Path dir;
    private final Map<Long, Schema> known = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private FileTime listed;
    private long listedAtMillis;

    public SchemaDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        Schema schema = known.get(fingerprint);
        if (schema == null && changed()) {
            list();
            schema = known.get(fingerprint);
        }
        return schema;
    }

    /** The files of the latest listing that could not be read as a schema, each with why. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private boolean changed() {
        try {
            return listed == null
                    || !listed.equals(Files.getLastModifiedTime(dir))
                    || listedAtMillis - listed.toMillis() < SETTLED_MILLIS;
        } catch (IOException e) {
            return listed != null; // gone or unreadable: list again when it is back
        }
    }

    private void list() {
        problems.clear();
        try {
            listedAtMillis = System.currentTimeMillis();
            listed = Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            listed = null;
            problems.add(dir + ": " + e.getMessage());
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.avsc")) {
            for (Path file : files) {
                try {
                    Schema s = new Schema.Parser().parse(file.toFile());
                    known.put(WireFormat.fingerprint(s), s);
                } catch (IOException | SchemaParseException e) {
                    problems.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            problems.add(dir + ": " + e.getCause().getMessage());
        }
    }
}
