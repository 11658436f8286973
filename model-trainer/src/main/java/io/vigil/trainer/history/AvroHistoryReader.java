package io.vigil.trainer.history;

import io.vigil.schemas.SensorReading;
import io.vigil.scoring.FeatureSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads Avro object-container files of {@link SensorReading}s (any released version of the schema):
 * the entity is {@code entityId}, the features are channels of {@code values}, and an optional tag
 * carries the label.
 */
final class AvroHistoryReader {

    private static final byte[] MAGIC = {'O', 'b', 'j', 1};

    private AvroHistoryReader() {}

    /** True when the file starts with the Avro object-container magic bytes. */
    static boolean isAvro(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC.length);
            return Arrays.equals(head, MAGIC);
        }
    }

    /** Every channel name any reading in the file carries. */
    static Set<String> channels(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DataFileReader<SensorReading> in = open(file)) {
            for (SensorReading r : in) {
                names.addAll(r.getValues().keySet());
            }
        } catch (AvroRuntimeException e) {
            throw new HistoryException(
                    file + " is not a readable Avro file of SensorReading records: " + e.getMessage(), e);
        }
        return names;
    }

    static void read(Path file, FeatureSpec features, HistoryOptions o, Map<String, SeriesBuilder> into)
            throws IOException {
        String source = file.getFileName().toString();
        long record = 0;
        String labelTag = null;
        try (DataFileReader<SensorReading> in = open(file)) {
            for (SensorReading r : in) {
                record++;
                if (record == 1) {
                    labelTag = labelTag(r, o, file);
                }
                double[] row = new double[features.size()];
                String problem = features.vectorise(r.getValues(), row);
                if (problem != null) {
                    throw new HistoryException(file + " record " + record + " (entity " + r.getEntityId() + ", time "
                            + r.getEventTime() + "): " + problem);
                }
                Boolean label = null;
                if (labelTag != null) {
                    String text = r.getTags().get(labelTag);
                    if (text == null) {
                        throw new HistoryException(file + " record " + record + " (entity " + r.getEntityId()
                                + ", time "
                                + r.getEventTime() + "): no '" + labelTag + "' tag, but the first record has one;"
                                + " label every reading or read none with --label-column none");
                    }
                    try {
                        label = Numbers.parseLabel(text);
                    } catch (IllegalArgumentException e) {
                        throw new HistoryException(
                                file + " record " + record + " (entity " + r.getEntityId() + "), tag '" + labelTag
                                        + "': '" + text + "' is " + e.getMessage(),
                                e);
                    }
                }
                into.computeIfAbsent(r.getEntityId(), SeriesBuilder::new)
                        .add(r.getEventTime().toEpochMilli(), row, label, source);
            }
        } catch (AvroRuntimeException e) {
            throw new HistoryException(
                    file + " record " + (record + 1) + " cannot be read as a SensorReading: " + e.getMessage(), e);
        }
        if (record == 0) {
            throw new HistoryException(file + " holds no readings");
        }
    }

    private static String labelTag(SensorReading first, HistoryOptions o, Path file) {
        if (o.labelsDisabled()) {
            return null;
        }
        if (o.labelColumn() != null) {
            if (!first.getTags().containsKey(o.labelColumn())) {
                throw new HistoryException(file + ": the first reading has no tag '" + o.labelColumn()
                        + "' (--label-column); its tags are " + first.getTags().keySet());
            }
            return o.labelColumn();
        }
        return HistoryOptions.DEFAULT_LABEL_COLUMNS.stream()
                .filter(first.getTags()::containsKey)
                .findFirst()
                .orElse(null);
    }

    private static DataFileReader<SensorReading> open(Path file) {
        try {
            return new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(SensorReading.class));
        } catch (IOException | AvroRuntimeException e) {
            throw new HistoryException(
                    file + " is not an Avro object-container file of SensorReading records: " + e.getMessage(), e);
        }
    }
}
