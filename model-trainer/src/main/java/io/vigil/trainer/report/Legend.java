package io.vigil.trainer.report;

import io.vigil.trainer.report.FileSection.Status;
import java.util.List;

/** A plot's legend, one row of swatches and names ending at a given x; and the alert marker shapes. */
final class Legend {

    /** Text width per character of the 12 px legend font, to lay the row out without measuring. */
    private static final double CHAR = 6.6;
    private static final int SWATCH = 22;
    private static final int SPACING = 18;

    /** One legend item: a line (solid or dashed), a filled box, or an alert marker. */
    record Entry(String text, String kind, String color, boolean dashed, Status status) {

        static Entry line(String text, String color, boolean dashed) {
            return new Entry(text, "line", color, dashed, null);
        }

        static Entry rect(String text, String color) {
            return new Entry(text, "rect", color, false, null);
        }

        static Entry alert(String text, Status status) {
            return new Entry(text, "alert", null, false, status);
        }
    }

    private Legend() {}

    static void draw(Svg svg, List<Entry> entries, double right, double y) {
        double width = 0;
        for (Entry e : entries) {
            width += SWATCH + 6 + e.text().length() * CHAR + SPACING;
        }
        double x = right - width + SPACING;
        svg.open("g", "class", "legend");
        for (Entry e : entries) {
            svg.open("g", "class", "legend-item", "data-kind", e.kind());
            switch (e.kind()) {
                case "line" -> svg.empty("line", "x1", x, "x2", x + SWATCH, "y1", y - 4, "y2", y - 4, "stroke", e.color(),
                        "class", e.dashed() ? "swatch dashed" : "swatch");
                case "rect" -> svg.empty("rect", "x", x, "y", y - 10, "width", SWATCH, "height", 12, "fill", e.color(),
                        "class", "swatch box");
                default -> svg.open("g", "class", e.status() == Status.OPEN ? "swatch open-alert" : "swatch resolved-alert")
                        .empty("line", "x1", x + SWATCH / 2.0, "x2", x + SWATCH / 2.0, "y1", y - 4, "y2", y + 3)
                        .empty("path", "class", "marker", "d", marker(e.status(), x + SWATCH / 2.0, y - 7))
                        .close("g");
            }
            svg.element("text", e.text(), "class", "legend-text", "x", x + SWATCH + 6, "y", y);
            svg.close("g");
            x += SWATCH + 6 + e.text().length() * CHAR + SPACING;
        }
        svg.close("g");
    }

    /** An opened alert is a downward triangle, a resolved one a circle, both centred on (x, y). */
    static String marker(Status status, double x, double y) {
        if (status == Status.OPEN) {
            return "M" + Svg.num(x - 5) + "," + Svg.num(y - 4) + "h10l-5,8z";
        }
        return "M" + Svg.num(x - 4) + "," + Svg.num(y) + "a4,4 0 1,0 8,0a4,4 0 1,0 -8,0z";
    }
}
