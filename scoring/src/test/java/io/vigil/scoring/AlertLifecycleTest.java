package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scoring.AlertLifecycle.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    /** Threshold 3, drift 1, resolve after 3 normal events, accept after 100 open events. */
    private final AlertLifecycle lifecycle = new AlertLifecycle(3, 1, 3, 100, Duration.ZERO);

    @Test
    void oneEventAsSurprisingAsTheThresholdOpensAtOnce() {
        KeyState s = new KeyState();
        assertThat(apply(lifecycle, s, 0.4, 0)).isEqualTo(Transition.NONE);
        assertThat(apply(lifecycle, s, 3.0, 1)).isEqualTo(Transition.OPEN);
        assertThat(s.episode.openedAt).isEqualTo(1L);
        assertThat(s.episode.alertId).isEqualTo(AlertLifecycle.alertId("k", 1L, "m", "v1"));
    }

    @Test
    void aRunOfModeratelySurprisingEventsOpensOnceItsExcessReachesTheThresholdWithTheRunsFirstEvent() {
        KeyState s = new KeyState();
        // excess over the drift (1): 0.8, 0.8, 0.6 -> 2.2 >= threshold - drift = 2 at the third event
        List<Transition> seen = new ArrayList<>();
        double[] surprise = {0.5, 1.8, 1.8, 1.6, 1.9};
        for (int t = 0; t < surprise.length; t++) {
            seen.add(apply(lifecycle, s, surprise[t], t));
        }
        assertThat(seen)
                .containsExactly(Transition.NONE, Transition.NONE, Transition.NONE, Transition.OPEN, Transition.NONE);
        assertThat(s.episode.openedAt).isEqualTo(1L); // the run's first event
        assertThat(s.episode.anomalousEvents).isEqualTo(3);
    }

    @Test
    void evidenceDrainsBetweenRunsSoScatteredEventsNeverOpen() {
        KeyState s = new KeyState();
        for (int t = 0; t < 200; t++) {
            // a 2.5 every third event, 0 between: +1.5, -1, -1 ... never accumulates
            assertThat(apply(lifecycle, s, t % 3 == 0 ? 2.5 : 0, t)).isEqualTo(Transition.NONE);
        }
    }

    @Test
    void anOpenAlertNeverReFiresAndResolvesAfterConsecutiveNormalEventsAgainstTheNormalReference() {
        KeyState s = new KeyState();
        assertThat(apply(lifecycle, s, 5, 0)).isEqualTo(Transition.OPEN);
        // the recent past has got used to it (surprise 0), the normal reference has not (normal surprise 4)
        for (int t = 1; t < 50; t++) {
            assertThat(lifecycle.apply("k", s, 0, 4, 0.1, true, t, "m", "v1"))
                    .isIn(Transition.NONE, Transition.ESCALATE);
        }
        List<Transition> end = new ArrayList<>();
        for (int t = 50; t < 53; t++) {
            end.add(lifecycle.apply("k", s, 0, 0.2, 0.0, true, t, "m", "v1"));
        }
        assertThat(end).containsExactly(Transition.NONE, Transition.NONE, Transition.RESOLVE);
        assertThat(s.episode.anomalousEvents).isEqualTo(50);
    }

    @Test
    void anAlertOpenForMaxOpenEventsIsAcceptedAsTheNewNormal() {
        AlertLifecycle short10 = new AlertLifecycle(3, 1, 3, 10, Duration.ZERO);
        KeyState s = new KeyState();
        assertThat(apply(short10, s, 5, 0)).isEqualTo(Transition.OPEN);
        Transition last = Transition.NONE;
        int t = 1;
        while (last != Transition.ACCEPT && t < 100) {
            last = short10.apply("k", s, 5, 5, 0.5, true, t++, "m", "v1");
        }
        assertThat(last).isEqualTo(Transition.ACCEPT);
        assertThat(t - 1).isEqualTo(10);
    }

    @Test
    void escalatesWhenThePeakCrossesASeverityLevel() {
        KeyState s = new KeyState();
        assertThat(apply(lifecycle, s, 3.5, 0)).isEqualTo(Transition.OPEN);
        assertThat(lifecycle.apply("k", s, 3.8, 3.8, 0.4, true, 1, "m", "v1")).isEqualTo(Transition.NONE);
        assertThat(lifecycle.apply("k", s, 8.0, 8.0, 0.6, true, 2, "m", "v1")).isEqualTo(Transition.ESCALATE);
        assertThat(lifecycle.severity(s)).isEqualTo(AlertLifecycle.Severity.CRITICAL);
    }

    @Test
    void aColdKeyOrOneCoolingDownDoesNotOpen() {
        AlertLifecycle cooling = new AlertLifecycle(3, 1, 1, 100, Duration.ofMillis(50));
        KeyState s = new KeyState();
        assertThat(cooling.apply("k", s, 9, 9, 0.6, false, 0, "m", "v1")).isEqualTo(Transition.NONE); // not warm
        assertThat(apply(cooling, s, 9, 10)).isEqualTo(Transition.OPEN);
        assertThat(cooling.apply("k", s, 0, 0, 0, true, 20, "m", "v1")).isEqualTo(Transition.RESOLVE);
        AlertLifecycle.clear(s);
        assertThat(apply(cooling, s, 9, 60)).isEqualTo(Transition.NONE); // cooling down until 70
        assertThat(apply(cooling, s, 9, 70)).isEqualTo(Transition.OPEN);
    }

    @Test
    void settingsAreCheckedWithAMessage() {
        assertThatThrownBy(() -> new AlertLifecycle(3, 4, 1, 1, Duration.ZERO)).hasMessageContaining("drift");
        assertThatThrownBy(() -> new AlertLifecycle(0, 0, 1, 1, Duration.ZERO)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AlertLifecycle(3, 1, 0, 1, Duration.ZERO)).hasMessageContaining("resolve-after");
    }

    @Test
    void alertIdsAreDeterministicAndDistinct() {
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isEqualTo(AlertLifecycle.alertId("a", 1, "m", "v"));
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isNotEqualTo(AlertLifecycle.alertId("a", 1, "m", "v2"));
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isNotEqualTo(AlertLifecycle.alertId("a", 2, "m", "v"));
    }

    /** An event as surprising against the recent past as against the normal, on a warm key. */
    private static Transition apply(AlertLifecycle l, KeyState s, double surprise, long t) {
        return l.apply("k", s, surprise, surprise, Surprise.score(surprise), true, t, "m", "v1");
    }
}
