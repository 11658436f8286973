package io.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final long T = Instant.parse("2020-03-09T10:14:33Z").toEpochMilli();

    @Test
    void epochNumbersByMagnitude() {
        assertThat(Timestamps.parse("1583748873", ZoneOffset.UTC)).isEqualTo(T);
        assertThat(Timestamps.parse("1583748873.5", ZoneOffset.UTC)).isEqualTo(T + 500);
        assertThat(Timestamps.parse("1583748873000", ZoneOffset.UTC)).isEqualTo(T);
        assertThat(Timestamps.parse("1583748873000000", ZoneOffset.UTC)).isEqualTo(T);
        assertThat(Timestamps.parse("1583748873000000000", ZoneOffset.UTC)).isEqualTo(T);
    }

    @Test
    void isoAndSpaceSeparatedForms() {
        assertThat(Timestamps.parse("2020-03-09T10:14:33Z", ZoneOffset.UTC)).isEqualTo(T);
        assertThat(Timestamps.parse("2020-03-09T13:14:33+03:00", ZoneOffset.UTC))
                .isEqualTo(T);
        assertThat(Timestamps.parse("2020-03-09 10:14:33", ZoneOffset.UTC)).isEqualTo(T);
        assertThat(Timestamps.parse("2020-03-09 10:14:33.250", ZoneOffset.UTC)).isEqualTo(T + 250);
        assertThat(Timestamps.parse("2020-03-09T11:14:33", ZoneId.of("Europe/Berlin")))
                .isEqualTo(T);
        assertThat(Timestamps.parse("2020-03-09", ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2020-03-09T00:00:00Z").toEpochMilli());
    }

    @Test
    void refusesWhatIsNotATime() {
        assertThatThrownBy(() -> Timestamps.parse("yesterday", ZoneOffset.UTC))
                .hasMessageStartingWith("not a timestamp");
        assertThatThrownBy(() -> Timestamps.parse(" ", ZoneOffset.UTC)).hasMessage("empty");
    }
}
