package io.vigil.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTest {

    @Test
    void splitsByTimeAndCutsAnomaliesOutWithoutBridgingTheGap() {
        boolean[] labels = new boolean[20];
        labels[3] = true;
        labels[4] = true;
        labels[17] = true;
        EntitySeries s = SyntheticData.series("e", 20, 2, 1, labels);
        History h = new History(SyntheticData.features(2), List.of(s), List.of("t"));

        Partition p = Partition.of(h, 0.25).get(0);

        assertThat(p.split()).isEqualTo(15);
        assertThat(p.trainNormal())
                .extracting(Partition.Segment::from, Partition.Segment::to)
                .containsExactly(tuple(0, 3), tuple(5, 15));
        assertThat(p.validationNormal())
                .extracting(Partition.Segment::from, Partition.Segment::to)
                .containsExactly(tuple(15, 17), tuple(18, 20));
        assertThat(p.trainNormalRows()).isEqualTo(13);
        assertThat(p.validationRows()).isEqualTo(5);
        assertThat(p.validationNormalRows()).isEqualTo(4);
    }

    @Test
    void unlabelledSeriesAreOneRunPerPart() {
        History h = SyntheticData.history(1, 100, 2, 1);
        Partition p = Partition.of(h, 0.2).get(0);
        assertThat(p.trainNormal()).hasSize(1);
        assertThat(p.trainNormal().get(0).rows()).isEqualTo(80);
        assertThat(p.validationNormal().get(0).rows()).isEqualTo(20);
    }
}
