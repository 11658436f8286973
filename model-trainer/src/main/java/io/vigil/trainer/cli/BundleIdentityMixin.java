package io.vigil.trainer.cli;

import io.vigil.trainer.training.InvalidConfigException;
import io.vigil.trainer.training.TrainingConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --model-id} and {@code --version} of the commands that train a bundle, and the training
 * configuration they complete. A command's default value provider may give another default id
 * (train-transactions: {@link TransactionDefaults#MODEL_ID}).
 */
final class BundleIdentityMixin {

    @Option(names = "--model-id", defaultValue = TrainingConfig.DEFAULT_MODEL_ID, description = "Stable model name.")
    String modelId;

    @Option(
            names = "--version",
            paramLabel = "<version>",
            description = "Bundle version (default: UTC time of training, yyyyMMdd-HHmmss).")
    String version;

    /** The training options with this id and version; an invalid value is a usage error naming its option. */
    TrainingConfig config(CommandSpec spec, TrainingOptions training) {
        try {
            return training.toBuilder().modelId(modelId).version(version).build();
        } catch (InvalidConfigException e) {
            throw Cli.usage(spec, "--" + Cli.kebab(e.field()), e.getMessage());
        }
    }
}
