package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaDirectoryTest {

    private static final Schema NEWER = withSite(SensorReading.getClassSchema());

    @TempDir
    Path dir;

    @Test
    void aNewerSchemaPutInTheDirectoryWhileDecodingIsReadFromTheNextMessageOn() throws Exception {
        SchemaDirectory store = new SchemaDirectory(dir);
        BoundedMessageDecoder<SensorReading> decoder = WireFormat.boundedDecoder(SensorReading.class, store);
        byte[] message = newerMessage("pump-3", 1_700_000_000_000L, 2.5);

        assertThatThrownBy(() -> decoder.decode(message)).isInstanceOf(MissingSchemaException.class);
        Files.writeString(dir.resolve("SensorReading-v3.avsc"), NEWER.toString(true));
        SensorReading r = decoder.decode(message);

        assertThat(r.getEntityId()).isEqualTo("pump-3");
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(r.getValues()).isEqualTo(Map.of("pressure", 2.5));
        assertThat(r.getTags()).isEqualTo(Map.of("rack", "r1"));
        assertThat(WireFormat.boundedDecoder(SensorReading.class, store).decode(WireFormat.encode(r)))
                .isEqualTo(r);
    }

    @Test
    void anUnchangedDirectoryIsNotListedAgainForAnUnknownFingerprint() throws Exception {
        SchemaDirectory store = new SchemaDirectory(dir);
        FileTime before = FileTime.from(Instant.now().minusSeconds(3600)); // settled: changed an hour ago
        Files.setLastModifiedTime(dir, before);
        assertThat(store.findByFingerprint(WireFormat.fingerprint(NEWER))).isNull();

        Files.writeString(dir.resolve("SensorReading-v3.avsc"), NEWER.toString(true));
        Files.setLastModifiedTime(dir, before); // as if unchanged since the last listing
        assertThat(store.findByFingerprint(WireFormat.fingerprint(NEWER))).isNull();

        Files.setLastModifiedTime(dir, FileTime.from(before.toInstant().plusSeconds(1)));
        assertThat(store.findByFingerprint(WireFormat.fingerprint(NEWER))).isEqualTo(NEWER);
    }

    @Test
    void aFileThatIsNotASchemaIsNamedAndTheOthersStillRead() throws Exception {
        Files.writeString(dir.resolve("half-written.avsc"), "{\"type\": \"record\", \"name\": \"Sens");
        Files.writeString(dir.resolve("SensorReading-v3.avsc"), NEWER.toString(true));
        SchemaDirectory store = new SchemaDirectory(dir);

        assertThat(store.findByFingerprint(WireFormat.fingerprint(NEWER))).isEqualTo(NEWER);
        assertThat(store.problems()).singleElement().asString().startsWith("half-written.avsc: ");
    }

    @Test
    void aMissingDirectoryFindsNothingAndSaysWhy() {
        SchemaDirectory store = new SchemaDirectory(dir.resolve("absent"));

        assertThat(store.findByFingerprint(WireFormat.fingerprint(NEWER))).isNull();
        assertThat(store.problems()).singleElement().asString().contains("absent");
    }

    private static Schema withSite(Schema base) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("site", Schema.create(Schema.Type.STRING), "added later", "unknown"));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private static byte[] newerMessage(String entity, long time, double pressure) throws Exception {
        GenericRecord g = new GenericData.Record(NEWER);
        g.put("entityId", entity);
        g.put("eventTime", time);
        g.put("values", Map.of("pressure", pressure));
        g.put("tags", Map.of("rack", "r1"));
        g.put("site", "north");
        ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), NEWER).encode(g);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
