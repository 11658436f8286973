package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scoring.AlertLifecycle.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    @Test
    void aPersistingAnomalyOpensOnceResolvesOnceAndCoolsDown() {
        AlertLifecycle lifecycle = new AlertLifecycle(3, Duration.ofMillis(50));
        KeyState s = new KeyState();
        // t:   0 1 2 3 4 5 6 7 8 9 10 11
        // hot: . X X . X . . . X . .  X     (resolve after 3 quiet events, cool-down 50 ms, 10 ms apart)
        boolean[] hot = {false, true, true, false, true, false, false, false, true, false, false, true};
        List<Transition> seen = new ArrayList<>();
        String openedId = null;
        for (int t = 0; t < hot.length; t++) {
            Transition tr = lifecycle.apply("pump-1", s, view(hot[t], 4.0), t * 10L);
            seen.add(tr);
            if (tr == Transition.OPEN) {
                openedId = s.alertId;
            }
            if (tr == Transition.RESOLVE) {
                assertThat(s.alertId).isEqualTo(openedId);
                assertThat(s.alertEvents).isEqualTo(3);
                assertThat(s.alertOpenedAt).isEqualTo(10L);
                AlertLifecycle.clear(s);
            }
        }
        assertThat(seen).containsExactly(Transition.NONE, Transition.OPEN, Transition.NONE, Transition.NONE,
                Transition.NONE, Transition.NONE, Transition.NONE, Transition.RESOLVE,
                Transition.NONE /* t=80 inside the cool-down (until 120) */, Transition.NONE, Transition.NONE,
                Transition.NONE /* t=110 still cooling down */);
        assertThat(openedId).isEqualTo(AlertLifecycle.alertId("pump-1", 10L, "m", "v1"));
    }

    @Test
    void escalatesWhenThePeakCrossesASeverityLevel() {
        AlertLifecycle lifecycle = new AlertLifecycle(5, Duration.ZERO);
        KeyState s = new KeyState();
        assertThat(lifecycle.apply("k", s, view(true, 3.5), 0)).isEqualTo(Transition.OPEN);
        assertThat(lifecycle.apply("k", s, view(true, 3.8), 1)).isEqualTo(Transition.NONE);
        assertThat(lifecycle.apply("k", s, view(true, 8.0), 2)).isEqualTo(Transition.ESCALATE);
        assertThat(AlertLifecycle.Severity.of(s.alertPeakZ, 3.0)).isEqualTo(AlertLifecycle.Severity.CRITICAL);
    }

    @Test
    void alertIdsAreDeterministicAndDistinct() {
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isEqualTo(AlertLifecycle.alertId("a", 1, "m", "v"));
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isNotEqualTo(AlertLifecycle.alertId("a", 1, "m", "v2"));
        assertThat(AlertLifecycle.alertId("a", 1, "m", "v")).isNotEqualTo(AlertLifecycle.alertId("a", 2, "m", "v"));
    }

    private static ScoreView view(boolean anomalous, double z) {
        return new ScoreView() {
            public boolean scored() { return true; }
            public boolean warm() { return true; }
            public double score() { return Surprise.score(anomalous ? z : 0); }
            public double threshold() { return Surprise.score(3.0); }
            public String thresholdKind() { return "quantile"; }
            public boolean anomalous() { return anomalous; }
            public double lstmError() { return 0; }
            public double aeError() { return 0; }
            public double lstmZ() { return anomalous ? z : 0; }
            public double aeZ() { return 0; }
            public double thresholdZ() { return 3.0; }
            public String firedBy() { return anomalous ? "LSTM" : "NONE"; }
            public String modelId() { return "m"; }
            public String modelVersion() { return "v1"; }
            public FeatureSpec features() { return new FeatureSpec(java.util.List.of("x")); }
            public double expected(int j) { return 0; }
            public double actual(int j) { return 0; }
            public double contribution(int j) { return 1; }
        };
    }
}
