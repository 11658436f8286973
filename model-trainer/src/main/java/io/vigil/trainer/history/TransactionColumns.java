package io.vigil.trainer.history;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Which column of a transaction CSV is what: any names, mapped by options; where an option is not
 * given, the first of the usual names present (case-insensitive). The account, time, amount and
 * merchant are required; the transaction id, currency, country, category and channel are optional; a
 * label column (non-zero or true = fraud) and a pattern column (the kind of fraud, for per-pattern
 * metrics) make the history labelled.
 *
 * @param separator field separator, or {@code null} to detect it from the header
 * @param names per role, the column given by an option, or {@code null} for the usual names
 * @param zone the time zone of timestamps written without an offset
 */
public record TransactionColumns(Character separator, Map<Role, String> names, ZoneId zone) {

    /** What a column holds. */
    public enum Role {
        TRANSACTION_ID("--transaction-id-column", false, "transaction_id", "tx_id", "transactionid", "id"),
        ACCOUNT("--account-column", true, "account_id", "account", "card_id", "customer_id", "accountid"),
        TIMESTAMP("--timestamp-column", true, "timestamp", "datetime", "tx_datetime", "event_time", "time"),
        AMOUNT("--amount-column", true, "amount", "tx_amount"),
        CURRENCY("--currency-column", false, "currency"),
        MERCHANT("--merchant-column", true, "merchant_id", "merchant", "terminal_id", "terminal"),
        COUNTRY("--country-column", false, "country"),
        CATEGORY("--category-column", false, "category", "merchant_category", "mcc"),
        CHANNEL("--channel-column", false, "channel"),
        LABEL("--label-column", false, "label", "fraud", "is_fraud", "tx_fraud"),
        PATTERN("--pattern-column", false, "pattern", "fraud_pattern", "scenario");

        private final String option;
        private final boolean required;
        private final List<String> usual;

        Role(String option, boolean required, String... usual) {
            this.option = option;
            this.required = required;
            this.usual = List.of(usual);
        }

        /** The command-line option that names this column. */
        public String option() {
            return option;
        }

        public boolean required() {
            return required;
        }

        /** The names looked for when the option is not given. */
        public List<String> usual() {
            return usual;
        }
    }

    /** Given as {@code none}: the file has no such column, even if one has a usual name. */
    public static final String NONE = "none";

    public TransactionColumns {
        names = names == null ? Map.of() : Map.copyOf(names);
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    public static TransactionColumns defaults() {
        return new TransactionColumns(null, Map.of(), ZoneOffset.UTC);
    }

    /** The column given for {@code role}, or null. */
    public String given(Role role) {
        return names.get(role);
    }
}
