package io.vigil.trainer.report;

/**
 * Writes markup that is both HTML and well-formed XML: elements with escaped attributes and text,
 * numbers with at most one decimal (a tenth of a pixel is finer than any screen needs, and keeps
 * plots of long series small).
 */
final class Svg {

    static final String NS = "http://www.w3.org/2000/svg";

    private final StringBuilder out;

    Svg(StringBuilder out) {
        this.out = out;
    }

    /** Opens {@code tag} with attributes given as name, value pairs; a null value leaves the attribute out. */
    Svg open(String tag, Object... attributes) {
        start(tag, attributes);
        out.append('>');
        return this;
    }

    /** An element without content. */
    Svg empty(String tag, Object... attributes) {
        start(tag, attributes);
        out.append("/>");
        return this;
    }

    Svg close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** Escaped text content. */
    Svg text(String text) {
        out.append(escape(text));
        return this;
    }

    /** An element holding only escaped text. */
    Svg element(String tag, String text, Object... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Markup written as is: only for fixed strings of this package. */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    Svg newline() {
        out.append('\n');
        return this;
    }

    private void start(String tag, Object[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("Attributes of <" + tag + "> must come in name, value pairs");
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            Object v = attributes[i + 1];
            if (v == null) {
                continue;
            }
            out.append(' ').append(attributes[i]).append("=\"");
            if (v instanceof Double || v instanceof Float) {
                out.append(num(((Number) v).doubleValue()));
            } else {
                out.append(escape(v.toString()));
            }
            out.append('"');
        }
    }

    /** {@code x} rounded to one decimal, without a trailing {@code .0}. */
    static String num(double x) {
        long tenths = Math.round(x * 10);
        if (tenths % 10 == 0) {
            return Long.toString(tenths / 10);
        }
        String sign = tenths < 0 ? "-" : "";
        long a = Math.abs(tenths);
        return sign + (a / 10) + "." + (a % 10);
    }

    /** Escapes for text and attribute values alike (XML's five, so the markup parses as XML too). */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> c < 0x20 && c != '\n' && c != '\t' ? " " : null; // control characters are not XML
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** A path's {@code d}, built point by point; {@link #lift()} starts a new stroke (a gap). */
    static final class Path {

        private final StringBuilder d = new StringBuilder();
        private boolean down;

        Path to(double x, double y) {
            d.append(down ? 'L' : 'M').append(num(x)).append(',').append(num(y));
            down = true;
            return this;
        }

        Path lift() {
            down = false;
            return this;
        }

        @Override
        public String toString() {
            return d.toString();
        }
    }
}
