package io.vigil.harness.generate;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Produces one entity's readings step by step: the latent factors and noise advance every event,
 * and the planned anomalies are laid over the normal signal.
 *
 * <p>The noise generator draws the same numbers whatever the anomalies are, and anomalies draw from
 * a generator of their own, so a stream and its anomaly-free twin (same seed) carry the same noise:
 * outside the anomaly windows they are identical (after a frequency change the seasonal phase stays
 * shifted, as a machine that ran at another speed would be).
 */
final class EntitySimulator {

    private static final double TWO_PI = 2 * Math.PI;
    private static final double SQRT2 = Math.sqrt(2);

    private final GeneratorConfig config;
    private final int entityIndex;
    private final EntityProfile p;
    private final List<PlannedAnomaly> plan;
    private final Random noise;
    private final Random anomalyNoise;
    private final double[] ownNoise;
    private final double[] noiseStd;
    private final double[] noisePhi;
    private final double[] values;

    private double fastAngle;
    private double slowAngle;
    private double slowFactor;
    private int index;
    private int planPosition;
    private double[] stuckValues;

    EntitySimulator(
            GeneratorConfig config,
            int entityIndex,
            EntityProfile profile,
            List<PlannedAnomaly> plan,
            Random noise,
            Random anomalyNoise) {
        this.config = config;
        this.entityIndex = entityIndex;
        this.p = profile;
        this.plan = plan;
        this.noise = noise;
        this.anomalyNoise = anomalyNoise;
        int channels = profile.channels();
        this.ownNoise = new double[channels];
        this.noiseStd = profile.noiseStd();
        this.noisePhi = profile.noisePhi();
        this.values = new double[channels];
        // Seasonal phase follows absolute time, so history and live streams of an entity line up.
        Instant first = PlannedAnomaly.eventTime(config, entityIndex, 0);
        double tick = (double) Math.floorDiv(first.toEpochMilli(), config.intervalMillis());
        this.fastAngle = profile.fastPhase() + TWO_PI * fraction(tick / profile.fastPeriod());
        this.slowAngle = profile.slowPhase() + TWO_PI * fraction(tick / profile.slowPeriod());
        // Start every AR process in its stationary distribution: no burn-in transient.
        this.slowFactor = noise.nextGaussian();
        for (int c = 0; c < channels; c++) {
            ownNoise[c] = noiseStd[c] * noise.nextGaussian();
        }
    }

    boolean hasNext() {
        return index < config.eventsPerEntity();
    }

    LabeledReading next() {
        PlannedAnomaly active = activeAnomaly();
        double[] factors = {SQRT2 * Math.sin(fastAngle), SQRT2 * Math.sin(slowAngle), slowFactor};
        for (int c = 0; c < values.length; c++) {
            double mixture = 0;
            for (int k = 0; k < EntityProfile.FACTORS; k++) {
                mixture += p.loading(c, k) * factors[k];
            }
            values[c] = p.mean(c) + p.sigma(c) * (mixture + ownNoise[c]);
        }
        if (active != null) {
            apply(active, factors);
        }
        Instant time = PlannedAnomaly.eventTime(config, entityIndex, index);
        LabeledReading reading = new LabeledReading(
                p.entityId(),
                time,
                values,
                active != null,
                active == null ? null : active.window().id());
        advance(active);
        return reading;
    }

    private PlannedAnomaly activeAnomaly() {
        while (planPosition < plan.size() && plan.get(planPosition).last() < index) {
            planPosition++;
        }
        if (planPosition < plan.size() && plan.get(planPosition).covers(index)) {
            return plan.get(planPosition);
        }
        return null;
    }

    private void apply(PlannedAnomaly a, double[] factors) {
        int offset = index - a.first();
        int[] channels = a.channels();
        switch (a.window().kind()) {
            case SPIKE -> {
                for (int i = 0; i < channels.length; i++) {
                    int c = channels[i];
                    double side = values[c] >= p.mean(c) ? 1 : -1;
                    values[c] += side * a.sigmas()[i] * p.sigma(c);
                }
            }
            case LEVEL_SHIFT -> {
                for (int i = 0; i < channels.length; i++) {
                    values[channels[i]] += a.sigmas()[i] * p.sigma(channels[i]);
                }
            }
            case DRIFT -> {
                double ramp = (offset + 1.0) / a.length();
                for (int i = 0; i < channels.length; i++) {
                    values[channels[i]] += ramp * a.sigmas()[i] * p.sigma(channels[i]);
                }
            }
            case STUCK -> {
                if (offset == 0) {
                    stuckValues = new double[channels.length];
                    for (int i = 0; i < channels.length; i++) {
                        stuckValues[i] = values[channels[i]];
                    }
                }
                for (int i = 0; i < channels.length; i++) {
                    values[channels[i]] = stuckValues[i];
                }
            }
            case CORRELATION_BREAK -> {
                for (int c : channels) {
                    // Replace the shared-factor part by independent white noise of the same variance.
                    double mixtureStd = Math.sqrt(1 - noiseStd[c] * noiseStd[c]);
                    values[c] = p.mean(c) + p.sigma(c) * (mixtureStd * anomalyNoise.nextGaussian() + ownNoise[c]);
                }
            }
            case FREQUENCY_CHANGE -> {
                // Nothing to overlay: the clock speed is applied when the angles advance.
            }
        }
    }

    private void advance(PlannedAnomaly active) {
        double speed = active == null ? 1 : active.clockSpeed();
        fastAngle = wrap(fastAngle + TWO_PI * speed / p.fastPeriod());
        slowAngle = wrap(slowAngle + TWO_PI * speed / p.slowPeriod());
        double phi = p.slowFactorPhi();
        slowFactor = phi * slowFactor + Math.sqrt(1 - phi * phi) * noise.nextGaussian();
        for (int c = 0; c < ownNoise.length; c++) {
            double phiC = noisePhi[c];
            ownNoise[c] = phiC * ownNoise[c] + Math.sqrt(1 - phiC * phiC) * noiseStd[c] * noise.nextGaussian();
        }
        index++;
    }

    private static double fraction(double x) {
        return x - Math.floor(x);
    }

    private static double wrap(double angle) {
        return angle >= TWO_PI ? angle - TWO_PI : angle;
    }
}
