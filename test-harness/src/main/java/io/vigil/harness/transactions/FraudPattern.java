package io.vigil.harness.transactions;

/** The kinds of fraud the transaction generator injects, as fraud teams name them. */
public enum FraudPattern {

    /** A stolen card tried out: a burst of tiny online amounts at one or two web merchants, seconds apart. */
    CARD_TESTING("card testing", "4-12 amounts of 0.50-3.00 at 1-2 online merchants, 5-60 s apart, often at night"),
    /**
     * Someone else uses the account: a few transactions at merchants it never used, mostly abroad, of
     * 4-15 times its usual amount, within hours.
     */
    ACCOUNT_TAKEOVER(
            "account takeover",
            "2-6 transactions within 10 min-6 h at new merchants, 70% abroad, amounts" + " 4-15x the account's usual"),
    /**
     * A compromised merchant or terminal: every transaction there is fraudulent for 2-4 weeks, whoever
     * makes it, and each looks normal for its account: only the merchant gives it away.
     */
    COMPROMISED_MERCHANT(
            "compromised merchant",
            "every transaction at one merchant for 14-28 days, each as normal for its" + " account as any other"),
    /** Many transactions in minutes at normal-looking merchants and amounts. */
    VELOCITY_BURST(
            "velocity burst",
            "6-15 transactions within 5-30 minutes, amounts 0.5-2x the account's usual, at its"
                    + " own merchants and a few new ones");

    private final String label;
    private final String description;

    FraudPattern(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The name in files and reports, e.g. {@code card testing}. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The pattern of a file's name for it (its label or its constant name, any case). */
    public static FraudPattern of(String text) {
        for (FraudPattern p : values()) {
            if (p.label.equalsIgnoreCase(text.trim()) || p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown fraud pattern '" + text + "'");
    }
}
