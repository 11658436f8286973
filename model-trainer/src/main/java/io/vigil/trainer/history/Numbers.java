package io.vigil.trainer.history;

/** Strict decimal-number parsing for history cells ({@link Double#parseDouble} also takes "1d", "0x1p3", "NaN"). */
final class Numbers {

    private Numbers() {}

    /** True for {@code [+-]digits[.digits][(e|E)[+-]digits]} with at least one mantissa digit. */
    static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** The finite value of a decimal cell; messages complete "'<text>' is ...". */
    static double parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        if (!isDecimal(t)) {
            throw new IllegalArgumentException("not a number");
        }
        double v = Double.parseDouble(t);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("too large for a double");
        }
        return v;
    }

    /** A label cell: a number (non-zero = anomalous), or true/false. */
    static boolean parseLabel(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        try {
            return parse(t) != 0;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a label: use a number (non-zero = anomalous) or true/false");
        }
    }
}
