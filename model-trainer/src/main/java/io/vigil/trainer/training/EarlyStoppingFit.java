package io.vigil.trainer.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Mini-batch training with early stopping on the validation loss: examples are shuffled each epoch
 * with a seeded {@link Random}, training stops after {@code patience} epochs in which the validation
 * loss did not fall by at least {@code minImprovement} (relative), and the parameters of the epoch with
 * the lowest validation loss are restored at the end.
 */
public final class EarlyStoppingFit {

    /** Examples per call when computing a loss over a whole example set. */
    private static final int LOSS_CHUNK = 512;

    private EarlyStoppingFit() {}

    /** The part of {@link TrainingConfig} that drives the loop. */
    public record Settings(int maxEpochs, int patience, double minImprovement, int batchSize, long seed) {

        public static Settings of(TrainingConfig c) {
            return new Settings(c.maxEpochs(), c.patience(), c.minImprovement(), c.batchSize(), c.seed());
        }
    }

    /**
     * How training went.
     *
     * @param bestEpoch the epoch whose parameters the network holds now (1-based)
     * @param trainingLosses mean mini-batch loss per epoch (per predicted step, as {@link #loss})
     * @param validationLosses validation loss after each epoch
     */
    public record Result(
            String model,
            int epochsRun,
            int bestEpoch,
            double bestValidationLoss,
            double trainingLossAtBest,
            double[] trainingLosses,
            double[] validationLosses,
            boolean stoppedEarly,
            double seconds,
            int examples,
            int validationExamples) {}

    /** Trains {@code net} in place; on return it holds the best epoch's parameters. */
    public static Result fit(
            String model,
            MultiLayerNetwork net,
            Examples train,
            Examples validation,
            Settings s,
            ProgressListener listener) {
        if (train.size() == 0 || validation.size() == 0) {
            throw new IllegalArgumentException(model + ": " + train.size() + " training and " + validation.size()
                    + " validation examples; both are needed");
        }
        Random random = new Random(s.seed());
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] trainLosses = new double[s.maxEpochs()];
        double[] valLosses = new double[s.maxEpochs()];
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int lastImprovement = 0;
        INDArray bestParams = null;
        long started = System.nanoTime();
        int epoch = 0;
        boolean stoppedEarly = false;
        while (epoch < s.maxEpochs()) {
            epoch++;
            shuffle(order, random);
            double sum = 0;
            for (int from = 0; from < order.length; from += s.batchSize()) {
                int to = Math.min(order.length, from + s.batchSize());
                net.fit(train.batch(order, from, to));
                sum += net.score() * (to - from); // DL4J's score is the mean over the batch's examples
            }
            double trainLoss = sum / train.steps(null, 0, train.size());
            double valLoss = loss(net, validation);
            trainLosses[epoch - 1] = trainLoss;
            valLosses[epoch - 1] = valLoss;
            if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss)) {
                if (bestParams == null) {
                    throw new IllegalStateException(
                            model + " training diverged in epoch 1 (loss " + trainLoss + "); lower the learning rate");
                }
                stoppedEarly = true;
                break;
            }
            if (valLoss < best) {
                // the lowest loss is always kept; only a large enough drop resets the patience
                if (valLoss < best * (1 - s.minImprovement())) {
                    lastImprovement = epoch;
                }
                best = valLoss;
                bestEpoch = epoch;
                bestParams = net.params().dup();
            }
            double perEpoch = (System.nanoTime() - started) / 1e9 / epoch;
            listener.onEpoch(new EpochProgress(
                    model,
                    epoch,
                    s.maxEpochs(),
                    trainLoss,
                    valLoss,
                    best,
                    bestEpoch,
                    perEpoch,
                    perEpoch * (s.maxEpochs() - epoch)));
            if (epoch - lastImprovement >= s.patience() && epoch < s.maxEpochs()) {
                stoppedEarly = true;
                break;
            }
        }
        net.setParams(bestParams);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (stoppedEarly) {
            listener.onPhase(String.format(
                    Locale.ROOT,
                    "%s  stopped after epoch %d: validation loss %s for %d epoch(s); keeping epoch %d (val %.4f)",
                    model,
                    epoch,
                    s.minImprovement() > 0 ? "fell by less than " + s.minImprovement() * 100 + "%" : "did not fall",
                    epoch - lastImprovement,
                    bestEpoch,
                    best));
        }
        return new Result(
                model,
                epoch,
                bestEpoch,
                best,
                trainLosses[bestEpoch - 1],
                Arrays.copyOf(trainLosses, epoch),
                Arrays.copyOf(valLosses, epoch),
                stoppedEarly,
                seconds,
                train.size(),
                validation.size());
    }

    /**
     * The network's loss over every example of {@code examples} without training: mean squared error
     * per predicted step (LSTM) or per window (autoencoder), in normalised units.
     */
    public static double loss(MultiLayerNetwork net, Examples examples) {
        double sum = 0;
        for (int from = 0; from < examples.size(); from += LOSS_CHUNK) {
            int to = Math.min(examples.size(), from + LOSS_CHUNK);
            DataSet chunk = examples.batch(from, to);
            sum += net.score(chunk, false) * (to - from);
        }
        return sum / examples.steps(null, 0, examples.size());
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
