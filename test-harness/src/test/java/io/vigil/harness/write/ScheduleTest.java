package io.vigil.harness.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final long MS = 1_000_000;

    @Test
    void onScheduleItWaitsUntilEachReadingIsDue() {
        Schedule s = new Schedule(1_000, 5_000 * MS); // one reading per millisecond from t = 5 s
        assertThat(s.waitNanos(0, 5_000 * MS)).isZero();
        assertThat(s.waitNanos(10, 5_004 * MS)).isEqualTo(6 * MS);
        assertThat(s.behindMillis()).isZero();
        assertThat(s.maxBehindMillis()).isZero();
    }

    @Test
    void behindItSendsAtOnceAndRemembersHowFarBehindItWas() {
        Schedule s = new Schedule(1_000, 0);
        assertThat(s.waitNanos(100, 350 * MS)).isZero(); // due at 100 ms, sent at 350 ms
        assertThat(s.behindMillis()).isEqualTo(250);
        assertThat(s.waitNanos(400, 420 * MS)).isZero(); // catching up: still 20 ms late
        assertThat(s.behindMillis()).isEqualTo(20);
        assertThat(s.waitNanos(500, 450 * MS)).isEqualTo(50 * MS); // on schedule again
        assertThat(s.behindMillis()).isZero();
        assertThat(s.maxBehindMillis()).isEqualTo(250);
    }

    @Test
    void aScheduleNeedsARate() {
        assertThatThrownBy(() -> new Schedule(0, 0)).hasMessageContaining("positive rate, got 0.0");
    }
}
