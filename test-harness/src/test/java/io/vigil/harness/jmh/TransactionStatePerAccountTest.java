package io.vigil.harness.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.job.state.KeyStateSerializer;
import io.vigil.job.transactions.TransactionSerializers;
import io.vigil.scoring.AlertLifecycle;
import io.vigil.scoring.KeyState;
import io.vigil.scoring.Replay;
import io.vigil.scoring.Scorer;
import io.vigil.scoring.transactions.AccountState;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.scoring.transactions.TransactionFeatures;
import io.vigil.trainer.cli.TransactionDefaults;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * What the transaction pipeline keeps per account once it is caught up with the watermark: the feature
 * state (AccountState, in the feature operator) and the scoring state (KeyState, in the scoring operator),
 * as their serializers write them to a checkpoint, for a model of the default transaction architecture
 * (a window of 16 of the 16 features, LSTM 32, autoencoder 64-16-64: train-transactions' defaults).
 * Issue 16 asks for at most 4 KiB. The transactions held until the watermark passes them and the scoring
 * operator's batch empty as the stream moves on; the merchant-risk state is per merchant, not per account.
 */
class TransactionStatePerAccountTest {

    private static final long T0 = 1_767_571_200_000L; // 2026-01-05T00:00:00Z

    @Test
    void aBusyAccountsStateWithAnAlertOpenIsWithinFourKibibytes() throws Exception {
        TransactionFeatures features = TransactionFeatures.create(false);
        int window = Integer.parseInt(TransactionDefaults.VALUES.get("--window-length"));
        // a busy account: 5,000 transactions over 100 days at 2,000 merchants in 40 countries
        AccountState account = new AccountState();
        Random r = new Random(5);
        int n = 5_000;
        double[][] rows = new double[n][features.size()];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = T0 + i * 1_728_000L;
            features.next(
                    account,
                    new TransactionEvent(
                            "t-" + i,
                            "acc-1",
                            times[i],
                            1 + 500 * r.nextDouble(),
                            "EUR",
                            "m-" + r.nextInt(2000),
                            "C" + r.nextInt(40),
                            "5411",
                            "pos"),
                    null,
                    rows[i]);
        }
        KeyState[] last = new KeyState[1];
        try (Scorer scorer = new Scorer(SyntheticModel.of(window, features.size()), Scorer.Settings.defaults())) {
            Replay.run(
                    scorer,
                    List.of("acc-1"),
                    List.<double[][]>of(rows),
                    List.of(times),
                    (k, row, state, view) -> last[0] = state);
        }
        KeyState scoring = last[0];
        assertThat(scoring.count).isEqualTo(n);
        // the largest an episode gets: an alert open, with its id
        scoring.episode.alertId = AlertLifecycle.alertId("acc-1", T0, "vigil-transactions", "20261207-000000");

        int featureBytes = size(new TransactionSerializers.Account(), account);
        int scoringBytes = size(new KeyStateSerializer(), scoring);
        System.out.printf(
                "state per account: features %d B + scoring %d B = %d B%n",
                featureBytes, scoringBytes, featureBytes + scoringBytes);

        assertThat(featureBytes).isEqualTo(1213);
        assertThat(featureBytes + scoringBytes).isLessThanOrEqualTo(4096);
    }

    private static <T> int size(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        return out.length();
    }
}
