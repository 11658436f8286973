package io.vigil.scoring.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.FeatureSpec;
import io.vigil.scoring.ScoreView;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    private static final List<String> NAMES = TransactionFeatures.names(true);

    /** A scored event with the given expected and actual feature values and contributions. */
    private static ScoreView view(double[] expected, double[] actual, double[] contribution) {
        return new ScoreView() {
            public boolean scored() {
                return true;
            }

            public boolean warm() {
                return true;
            }

            public double score() {
                return 0.6;
            }

            public double surprise() {
                return 7.5;
            }

            public double normalSurprise() {
                return 7.5;
            }

            public double evidence() {
                return 3;
            }

            public double threshold() {
                return 0.375;
            }

            public double thresholdSurprise() {
                return 3;
            }

            public boolean anomalous() {
                return true;
            }

            public AlertLifecycle.Transition transition() {
                return AlertLifecycle.Transition.OPEN;
            }

            public AlertLifecycle.Severity severity() {
                return AlertLifecycle.Severity.HIGH;
            }

            public double lstmError() {
                return 1;
            }

            public double aeError() {
                return 1;
            }

            public String firedBy() {
                return "LSTM";
            }

            public String modelId() {
                return "cards";
            }

            public String modelVersion() {
                return "v1";
            }

            public FeatureSpec features() {
                return new FeatureSpec(NAMES);
            }

            public double expected(int j) {
                return expected[j];
            }

            public double actual(int j) {
                return actual[j];
            }

            public double contribution(int j) {
                return contribution[j];
            }
        };
    }

    private static int at(TransactionFeature f) {
        return NAMES.indexOf(f.column());
    }

    @Test
    void theFeaturesThatCarriedTheEvidenceAreSaidInAnAnalystsWordsWithExpectedAndActual() {
        double[] expected = new double[NAMES.size()];
        double[] actual = new double[NAMES.size()];
        double[] share = new double[NAMES.size()];
        // amount 412.50 where the median is 10.85: ratio (413.5 / 11.85)
        actual[at(TransactionFeature.AMOUNT_RATIO)] = Math.log(413.5 / 11.85);
        expected[at(TransactionFeature.AMOUNT_RATIO)] = Math.log(1.2);
        share[at(TransactionFeature.AMOUNT_RATIO)] = 0.5;
        actual[at(TransactionFeature.TX_10M)] = Math.log1p(9);
        expected[at(TransactionFeature.TX_10M)] = Math.log1p(1);
        share[at(TransactionFeature.TX_10M)] = 0.3;
        actual[at(TransactionFeature.NEW_MERCHANT)] = 1;
        expected[at(TransactionFeature.NEW_MERCHANT)] = 0.1;
        share[at(TransactionFeature.NEW_MERCHANT)] = 0.15;
        share[at(TransactionFeature.HOUR_SIN)] = 0.05;
        TransactionEvent tx =
                new TransactionEvent("t-1", "acc-1", 1_772_442_000_000L, 412.5, "EUR", "m-17", "FR", null, null);

        List<String> phrases = Explanation.of(view(expected, actual, share), tx);

        assertThat(phrases)
                .containsExactly(
                        "amount 35x the account's median of 10.85 EUR (expected about 1.2x)",
                        "9 transactions in 10 minutes (expected about 1.0)",
                        "first transaction at merchant m-17 (expected one of the account's merchants)");
    }

    @Test
    void timeOfDayGapsAndMerchantRiskReadAsTimesAndShares() {
        double[] expected = new double[NAMES.size()];
        double[] actual = new double[NAMES.size()];
        double[] share = new double[NAMES.size()];
        // expected around 14:00: the angle of 14 h on the 24 h circle
        expected[at(TransactionFeature.HOUR_SIN)] = Math.sin(2 * Math.PI * 14 / 24);
        expected[at(TransactionFeature.HOUR_COS)] = Math.cos(2 * Math.PI * 14 / 24);
        share[at(TransactionFeature.HOUR_SIN)] = 0.4;
        share[at(TransactionFeature.HOUR_COS)] = 0.3;
        actual[at(TransactionFeature.MERCHANT_FRAUD_SHARE)] = 0.42;
        // a direct-evidence channel's expected value is its scale: what 99% of normal transactions stay under
        expected[at(TransactionFeature.MERCHANT_FRAUD_SHARE)] = 0.02;
        share[at(TransactionFeature.MERCHANT_FRAUD_SHARE)] = 0.2;
        actual[at(TransactionFeature.GAP_LOG)] = Math.log1p(0.2);
        expected[at(TransactionFeature.GAP_LOG)] = Math.log1p(360);
        share[at(TransactionFeature.GAP_LOG)] = 0.1;
        // 03:20 UTC
        TransactionEvent tx =
                new TransactionEvent("t-2", "acc-1", 1_772_421_600_000L, 10, "EUR", "m-77", "DE", null, null);

        List<String> phrases = Explanation.of(view(expected, actual, share), tx);

        assertThat(phrases)
                .containsExactly(
                        "at 03:20 UTC (expected around 14:00)",
                        "merchant m-77: 42% of its transactions in 30 days confirmed fraud (at most about 2% for 99%"
                                + " of normal transactions)",
                        "12 seconds after the account's previous transaction (expected about 6 hours)");
    }
}
