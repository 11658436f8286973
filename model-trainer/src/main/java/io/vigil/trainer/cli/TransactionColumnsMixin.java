package io.vigil.trainer.cli;

import io.vigil.trainer.history.TransactionColumns;
import io.vigil.trainer.history.TransactionColumns.Role;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How to read transaction files: which CSV column is what, shared by the transaction commands of the
 * trainer and the harness. A column not named is looked for under its usual names (see --help); 'none'
 * says the file has no such column.
 */
public final class TransactionColumnsMixin {

    @Mixin
    SeparatorOption separator;

    @Option(
            names = "--transaction-id-column",
            paramLabel = "<name>",
            description = "Unique transaction id (default: transaction_id, tx_id, id; without one: <file>:<line>).")
    String transactionId;

    @Option(
            names = "--account-column",
            paramLabel = "<name>",
            description = "Account or card (default: account_id, account, card_id, customer_id).")
    String account;

    @Option(
            names = "--timestamp-column",
            paramLabel = "<name>",
            description =
                    "Event time (default: timestamp, datetime, tx_datetime, event_time, time). Epoch s/ms, ISO-8601"
                            + " or 'yyyy-MM-dd HH:mm:ss'.")
    String timestamp;

    @Option(names = "--amount-column", paramLabel = "<name>", description = "Amount (default: amount, tx_amount).")
    String amount;

    @Option(names = "--currency-column", paramLabel = "<name>", description = "Currency, optional (default: currency).")
    String currency;

    @Option(
            names = "--merchant-column",
            paramLabel = "<name>",
            description = "Merchant or terminal (default: merchant_id, merchant, terminal_id, terminal).")
    String merchant;

    @Option(names = "--country-column", paramLabel = "<name>", description = "Country, optional (default: country).")
    String country;

    @Option(
            names = "--category-column",
            paramLabel = "<name>",
            description = "Merchant category, optional (default: category, merchant_category, mcc).")
    String category;

    @Option(names = "--channel-column", paramLabel = "<name>", description = "Channel, optional (default: channel).")
    String channel;

    @Option(
            names = "--label-column",
            paramLabel = "<name>",
            description = "Fraud label, non-zero or true = fraud (default: label, fraud, is_fraud, tx_fraud).")
    String label;

    @Option(
            names = "--pattern-column",
            paramLabel = "<name>",
            description =
                    "The kind of each fraud, for metrics per pattern (default: pattern, fraud_pattern, scenario).")
    String pattern;

    @Mixin
    TimeZoneOption timeZone;

    /** The columns as given; a bad separator or zone is a usage error naming its option. */
    public TransactionColumns toColumns(CommandSpec spec) {
        Map<Role, String> names = new EnumMap<>(Role.class);
        put(names, Role.TRANSACTION_ID, transactionId);
        put(names, Role.ACCOUNT, account);
        put(names, Role.TIMESTAMP, timestamp);
        put(names, Role.AMOUNT, amount);
        put(names, Role.CURRENCY, currency);
        put(names, Role.MERCHANT, merchant);
        put(names, Role.COUNTRY, country);
        put(names, Role.CATEGORY, category);
        put(names, Role.CHANNEL, channel);
        put(names, Role.LABEL, label);
        put(names, Role.PATTERN, pattern);
        return new TransactionColumns(separator.parse(spec), names, timeZone.parse(spec));
    }

    private static void put(Map<Role, String> names, Role role, String column) {
        if (column != null) {
            names.put(role, column);
        }
    }
}
