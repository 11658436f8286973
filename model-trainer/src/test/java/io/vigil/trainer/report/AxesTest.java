package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxesTest {

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void valueTicksAreRoundAndLabelledWithTheDecimalsTheyNeed() {
        Scale s = new Scale(0.03, 0.97, 100, 0);
        List<Double> ticks = s.ticks(5);
        assertThat(s.labels(ticks)).containsExactly("0.2", "0.4", "0.6", "0.8");
        assertThat(s.apply(0.03)).isEqualTo(100);
        Scale big = new Scale(-1234, 5678, 0, 1);
        assertThat(big.labels(big.ticks(4))).containsExactly("0", "2000", "4000");
        Scale flat = Scale.padded(5, 5, 100, 0);
        assertThat(flat.d0()).isLessThan(5);
        assertThat(flat.d1()).isGreaterThan(5);
    }

    @Test
    void timeTicksFallOnRoundTimesWithTheDateWhereItChanges() {
        // SKAB: ~18 minutes at 1 s
        List<TimeAxis.Tick> minutes = TimeAxis.ticks(t("2024-03-09T10:00:00Z"), t("2024-03-09T10:18:19Z"), 10);
        assertThat(minutes).extracting(TimeAxis.Tick::label).containsExactly("10:00", "10:02", "10:04", "10:06",
                "10:08", "10:10", "10:12", "10:14", "10:16", "10:18");
        assertThat(minutes.get(0).context()).isEqualTo("2024-03-09");
        assertThat(minutes.get(1).context()).isEmpty();

        List<TimeAxis.Tick> hours = TimeAxis.ticks(t("2024-03-09T10:00:00Z"), t("2024-03-12T12:55:00Z"), 10);
        assertThat(hours).extracting(TimeAxis.Tick::label).startsWith("12:00", "00:00", "12:00");
        assertThat(hours).extracting(TimeAxis.Tick::context).startsWith("2024-03-09", "2024-03-10", "");

        // NAB: ten weeks at 5 minutes; weeks start on Mondays
        List<TimeAxis.Tick> weeks = TimeAxis.ticks(t("2024-03-09T10:00:00Z"), t("2024-05-17T20:35:00Z"), 10);
        assertThat(weeks).extracting(TimeAxis.Tick::label).startsWith("Mar 11", "Mar 18");
        assertThat(weeks.get(0).context()).isEqualTo("2024");

        List<TimeAxis.Tick> months = TimeAxis.ticks(t("2023-11-20T00:00:00Z"), t("2024-09-01T00:00:00Z"), 10);
        assertThat(months).extracting(TimeAxis.Tick::label).startsWith("Dec", "Jan", "Feb");
        assertThat(months).extracting(TimeAxis.Tick::context).startsWith("2023", "2024", "");
    }

    @Test
    void timesAndDurationsReadNaturally() {
        assertThat(TimeAxis.format(t("2024-03-09T10:05:05Z"))).isEqualTo("2024-03-09 10:05:05");
        assertThat(TimeAxis.format(t("2024-03-09T10:05:05.250Z"))).isEqualTo("2024-03-09 10:05:05.250");
        assertThat(TimeAxis.duration(45_000)).isEqualTo("45 s");
        assertThat(TimeAxis.duration(18 * 60_000 + 19_000)).isEqualTo("18.3 min");
        assertThat(TimeAxis.duration(69L * 24 * 3_600_000 + 10 * 3_600_000)).isEqualTo("69.4 days");
        assertThat(Svg.num(12.34)).isEqualTo("12.3");
        assertThat(Svg.num(-0.04)).isEqualTo("0");
        assertThat(Svg.num(-2.25)).isEqualTo("-2.2");
        assertThat(Svg.escape("a<&>\"'b")).isEqualTo("a&lt;&amp;&gt;&quot;&#39;b");
    }
}
