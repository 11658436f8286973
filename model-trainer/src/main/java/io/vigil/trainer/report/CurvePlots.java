package io.vigil.trainer.report;

import io.vigil.trainer.evaluation.RankingMetrics;
import java.util.List;
import java.util.Locale;

/** The overall ROC and precision-recall curves, each a square plot with its area in the legend. */
final class CurvePlots {

    static final int WIDTH = 470;
    static final int HEIGHT = 476;
    static final int LEFT = 64;
    static final int TOP = 64;
    static final int SIZE = 360;
    static final String ROC = "#08519c";
    static final String PR = "#6a3d9a";
    static final String CHANCE = "#969696";

    private CurvePlots() {}

    static void roc(Svg svg, Curves c) {
        start(svg, "roc", "ROC curve", "false positive rate", "true positive rate");
        Scale x = new Scale(0, 1, LEFT, LEFT + SIZE);
        Scale y = new Scale(0, 1, TOP + SIZE, TOP);
        svg.empty("line", "class", "chance", "x1", x.apply(0), "y1", y.apply(0), "x2", x.apply(1), "y2", y.apply(1));
        svg.empty("path", "class", "curve roc", "d", path(c.roc(), x, y, false), "stroke", ROC, "data-auc", c.rocAuc());
        Legend.draw(svg, List.of(Legend.Entry.line("ROC, AUC " + fmt(c.rocAuc()), ROC, false),
                Legend.Entry.line("chance, AUC 0.5", CHANCE, true)), LEFT + SIZE, 44);
        svg.close("svg").newline();
    }

    static void pr(Svg svg, Curves c) {
        start(svg, "pr", "Precision-recall curve", "recall", "precision");
        Scale x = new Scale(0, 1, LEFT, LEFT + SIZE);
        Scale y = new Scale(0, 1, TOP + SIZE, TOP);
        boolean chance = Double.isFinite(c.positiveRate());
        if (chance) {
            svg.empty("line", "class", "chance", "x1", x.apply(0), "y1", y.apply(c.positiveRate()), "x2", x.apply(1),
                    "y2", y.apply(c.positiveRate()));
        }
        svg.empty("path", "class", "curve pr", "d", path(c.pr(), x, y, true), "stroke", PR, "data-auc", c.prAuc());
        Legend.Entry curve = Legend.Entry.line("PR, AUC " + fmt(c.prAuc()), PR, false);
        Legend.draw(svg, chance ? List.of(curve, Legend.Entry.line("chance, precision " + fmt(c.positiveRate()),
                CHANCE, true)) : List.of(curve), LEFT + SIZE, 44);
        svg.close("svg").newline();
    }

    private static void start(Svg svg, String kind, String title, String xName, String yName) {
        svg.open("svg", "xmlns", Svg.NS, "class", "plot " + kind, "width", WIDTH, "height", HEIGHT, "viewBox",
                "0 0 " + WIDTH + " " + HEIGHT, "role", "img");
        svg.element("title", title);
        svg.element("text", title, "class", "title", "x", LEFT, "y", 20);
        svg.empty("rect", "class", "frame", "x", LEFT, "y", TOP, "width", SIZE, "height", SIZE);
        StringBuilder grid = new StringBuilder();
        for (int i = 0; i <= 5; i++) {
            double p = i * SIZE / 5.0;
            grid.append('M').append(Svg.num(LEFT + p)).append(',').append(TOP).append('v').append(SIZE);
            grid.append('M').append(LEFT).append(',').append(Svg.num(TOP + p)).append('h').append(SIZE);
        }
        svg.empty("path", "class", "grid", "d", grid.toString());
        for (int i = 0; i <= 5; i++) {
            String label = i == 0 ? "0" : i == 5 ? "1" : "0." + (2 * i);
            svg.element("text", label, "class", "tick x", "x", LEFT + i * SIZE / 5.0, "y", TOP + SIZE + 18);
            svg.element("text", label, "class", "tick y", "x", LEFT - 6, "y", TOP + SIZE - i * SIZE / 5.0 + 4);
        }
        svg.element("text", xName, "class", "axis-name", "x", LEFT + SIZE / 2.0, "y", TOP + SIZE + 40);
        svg.element("text", yName, "class", "axis-name", "x", 0, "y", 0, "transform",
                "translate(" + (LEFT - 40) + "," + (TOP + SIZE / 2) + ") rotate(-90)");
    }

    /** The points joined; the PR curve starts at recall 0 with the first point's precision. */
    private static String path(List<RankingMetrics.Point> points, Scale x, Scale y, boolean fromRecallZero) {
        Svg.Path p = new Svg.Path();
        if (fromRecallZero && points.get(0).x() > 0) {
            p.to(x.apply(0), y.apply(points.get(0).y()));
        }
        for (RankingMetrics.Point pt : points) {
            p.to(x.apply(pt.x()), y.apply(pt.y()));
        }
        return p.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
