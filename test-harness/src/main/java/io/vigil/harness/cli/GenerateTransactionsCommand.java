package io.vigil.harness.cli;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.transactions.TransactionFiles;
import io.vigil.harness.transactions.TransactionGenerator;
import io.vigil.harness.transactions.TransactionGeneratorConfig;
import io.vigil.harness.write.KafkaTransactionWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code generate-transactions}: labelled card transactions with injected fraud, to files and/or Kafka. */
@Command(
        name = "generate-transactions",
        abbreviateSynopsis = true,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates accounts with habits of their own (rate, amounts, hours, merchants, home country, travel) and"
                    + " injects four kinds of fraud: card testing, account takeover, a compromised merchant, velocity"
                    + " bursts. Seeded: the same options give the same transactions.",
            "Writes the transactions as CSV (--csv, labelled with each fraud's pattern) and the ground truth (--truth:"
                    + " the config and every incident); with --bootstrap-servers and --topic also to Kafka."
        })
public final class GenerateTransactionsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--accounts", description = "Accounts. Default: ${DEFAULT-VALUE}.")
    private int accounts = TransactionGeneratorConfig.DEFAULT_ACCOUNTS;

    @Option(names = "--days", description = "Days of transactions. Default: ${DEFAULT-VALUE}.")
    private int days = TransactionGeneratorConfig.DEFAULT_DAYS;

    @Option(names = "--start", description = "Midnight (UTC) of the first day, ISO-8601. Default: ${DEFAULT-VALUE}.")
    private Instant start = TransactionGeneratorConfig.DEFAULT_START;

    @Option(names = "--merchants", description = "Merchants in the world. Default: ${DEFAULT-VALUE}.")
    private int merchants = TransactionGeneratorConfig.DEFAULT_MERCHANTS;

    @Option(names = "--warmup-days", description = "Days without fraud at the start. Default: ${DEFAULT-VALUE}.")
    private int warmupDays = TransactionGeneratorConfig.DEFAULT_WARMUP_DAYS;

    @Option(
            names = "--card-testing",
            description = "Card-testing incidents per 1,000 accounts per 30 days." + " Default: ${DEFAULT-VALUE}.")
    private double cardTesting = TransactionGeneratorConfig.DEFAULT_CARD_TESTING;

    @Option(
            names = "--account-takeover",
            description = "Account takeovers per 1,000 accounts per 30 days." + " Default: ${DEFAULT-VALUE}.")
    private double takeover = TransactionGeneratorConfig.DEFAULT_ACCOUNT_TAKEOVER;

    @Option(
            names = "--velocity-burst",
            description = "Velocity bursts per 1,000 accounts per 30 days." + " Default: ${DEFAULT-VALUE}.")
    private double velocity = TransactionGeneratorConfig.DEFAULT_VELOCITY_BURST;

    @Option(
            names = "--compromised-merchants",
            description = "Merchants compromised per 30 days." + " Default: ${DEFAULT-VALUE}.")
    private double compromised = TransactionGeneratorConfig.DEFAULT_COMPROMISED_MERCHANTS;

    @Option(names = "--seed", description = "Seed of everything. Default: ${DEFAULT-VALUE}.")
    private long seed = 1;

    @Option(names = "--csv", description = "Write the labelled transactions as CSV here.")
    private Path csv;

    @Option(names = "--truth", description = "Write the ground truth (config, incidents) as JSON here.")
    private Path truth;

    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (host:port), with --topic.")
    private String bootstrapServers;

    @Mixin
    private KafkaClientOption kafkaClient;

    @Option(
            names = "--topic",
            description = "Kafka topic for the transactions (keyed by account), with" + " --bootstrap-servers.")
    private String topic;

    @Option(
            names = "--labels-topic",
            description = "Kafka topic for the confirmed frauds (keyed by merchant), each"
                    + " written when the stream's time reaches its confirmation. Default: none.")
    private String labelsTopic;

    @Option(
            names = "--confirmation-delay",
            description = "How long after a fraud the fraud team confirms it"
                    + " (ISO-8601 duration). Default: ${DEFAULT-VALUE}.")
    private Duration confirmationDelay = Duration.ofDays(7);

    @Option(
            names = "--rate",
            description = "Target transactions/s to Kafka; 0 = as fast as possible." + " Default: ${DEFAULT-VALUE}.")
    private double rate = 0;

    @Option(
            names = "--garbage-fraction",
            description =
                    "Extra bad records per transaction to Kafka (undecodable,"
                            + " no account, negative or NaN amount, time at 1970, no merchant), 0-1. Default: ${DEFAULT-VALUE}.")
    private double garbageFraction = 0;

    @Option(names = "--garbage-seed", description = "Seed of the bad records. Default: ${DEFAULT-VALUE}.")
    private long garbageSeed = 0;

    @Override
    public Integer call() throws Exception {
        boolean toKafka = bootstrapServers != null || topic != null;
        if (toKafka && (bootstrapServers == null || topic == null)) {
            throw new ParameterException(
                    spec.commandLine(), "--bootstrap-servers and --topic go together: give both or neither");
        }
        if (labelsTopic != null && !toKafka) {
            throw new ParameterException(spec.commandLine(), "--labels-topic needs --bootstrap-servers and --topic");
        }
        if (!toKafka && csv == null && truth == null) {
            throw new ParameterException(
                    spec.commandLine(), "Nothing to write: give --csv, --truth, or --topic with --bootstrap-servers");
        }
        KafkaTransactionWriter.Config kafkaConfig = null;
        if (toKafka) {
            try {
                kafkaConfig = KafkaTransactionWriter.Config.of(bootstrapServers, topic)
                        .withRate(rate)
                        .withGarbage(garbageFraction, garbageSeed)
                        .withProducerConfigs(kafkaClient.properties(spec));
                if (labelsTopic != null) {
                    kafkaConfig = kafkaConfig.withLabels(labelsTopic, confirmationDelay);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        TransactionGeneratorConfig config;
        try {
            config = new TransactionGeneratorConfig(
                    accounts,
                    days,
                    start,
                    merchants,
                    warmupDays,
                    cardTesting,
                    takeover,
                    velocity,
                    compromised,
                    TransactionGeneratorConfig.DEFAULT_TRAVEL,
                    seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        TransactionGenerator.Generated g = TransactionGenerator.generate(config);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "generated %,d transactions of %,d accounts (%s .. %s), %,d fraud in %d incidents%s%n",
                g.transactions().size(),
                accounts,
                config.start(),
                config.day(days),
                g.frauds(),
                g.incidents().size(),
                g.incidentSummary());
        if (csv != null) {
            TransactionFiles.writeCsv(csv, g.transactions());
            out.println("csv       " + csv);
        }
        if (truth != null) {
            TransactionFiles.writeTruth(truth, g);
            out.println("truth     " + truth);
        }
        if (kafkaConfig != null) {
            try (KafkaTransactionWriter kafka = new KafkaTransactionWriter(kafkaConfig)) {
                g.transactions().forEach(kafka::accept);
                KafkaTransactionWriter.Report report = kafka.finish();
                out.println("kafka     " + report.toText());
                if (report.failedSends() > 0) {
                    spec.commandLine()
                            .getErr()
                            .println("generate-transactions: " + report.failedSends() + " records were not written: "
                                    + kafka.firstFailure());
                    return HarnessCli.FAILURE;
                }
            }
        }
        return 0;
    }
}
