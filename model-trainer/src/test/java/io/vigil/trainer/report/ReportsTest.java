package io.vigil.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedTestBundle;
import io.vigil.trainer.evaluation.EvaluationReport;
import io.vigil.trainer.evaluation.Evaluator;
import io.vigil.trainer.history.EntitySeries;
import io.vigil.trainer.history.History;
import io.vigil.trainer.report.FileSection.Alert;
import io.vigil.trainer.report.FileSection.Status;
import io.vigil.trainer.report.FileSection.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

    /** Rows before an entity's first warm event with the test bundle (W = 8, 8 warm-up events). */
    private static final int COLD = 15;

    @Test
    void anEvaluationBecomesOneSectionPerEntityWithItsWindowsAndAlerts() {
        EntitySeries p = shifted("p", 200, 50, new int[][] {{60, 80}, {150, 160}});
        EntitySeries q = shifted("q", 120, 51, new int[][] {{100, 119}});
        EvaluationReport e = Evaluator.evaluate(
                TrainedTestBundle.bundle(),
                new History(SyntheticData.features(3), List.of(p, q), List.of("history.csv")));
        Report r = Reports.fromEvaluation(e, "vigil-trainer evaluate");

        assertThat(r.title()).isEqualTo("Evaluation of test-model/v1");
        assertThat(r.notes())
                .anyMatch(n -> n.startsWith("The bundle's channels modelled as differences: ")
                        && n.contains("channels whose unusually small errors count: "));
        assertThat(r.subtitle())
                .startsWith("model test-model/v1 \u00b7 evaluation on history.csv \u00b7 threshold ")
                .endsWith(" \u00b7 vigil-trainer evaluate");
        assertThat(r.headline().get(0))
                .isEqualTo(Metric.ratio("F1", e.confusion().f1()));
        assertThat(r.headline()).contains(Metric.count("events", e.events()));
        assertThat(r.rocAndPr()).isPresent();
        assertThat(r.curves().rocAuc()).isEqualTo(e.ranking().orElseThrow().rocAuc());
        assertThat(r.files()).extracting(FileSection::name).containsExactly("p", "q");

        FileSection fp = r.files().get(0);
        FileSection fq = r.files().get(1);
        assertThat(fp.rows()).isEqualTo(200 - COLD);
        assertThat(fp.timestamps()[0]).isEqualTo(p.timestamps()[COLD]);
        assertThat(fp.channels()).containsExactly("ch0", "ch1", "ch2");
        assertThat(fp.values()[0]).containsExactly(p.values()[COLD]);
        assertThat(fp.windows())
                .containsExactly(
                        new Window(p.timestamps()[60], p.timestamps()[80]),
                        new Window(p.timestamps()[150], p.timestamps()[160]));
        assertThat(fq.windows()).containsExactly(new Window(q.timestamps()[100], q.timestamps()[119]));
        assertThat(fp.threshold())
                .isEqualTo(FileSection.Threshold.constant(e.subject().threshold()));
        assertThat(fp.metrics())
                .contains(Metric.ratio("recall", e.perEntity().get("p").recall()));

        // the alerts are the scorer's: an open where an event's verdict turns on, a resolve where it turns off
        int offset = 0;
        for (FileSection f : r.files()) {
            assertThat(f.alerts())
                    .extracting(Alert::time, Alert::status)
                    .containsExactlyElementsOf(expectedAlerts(e, offset, f.rows()).stream()
                            .map(a -> tuple(a.time(), a.status()))
                            .toList());
            offset += f.rows();
        }
        assertThat(fp.alertCount(Status.OPEN))
                .as("the shifted windows are found")
                .isPositive();

        assertThat(r.sections()).isEqualTo(Report.Sections.ENTITIES);
        assertThat(org.jsoup.Jsoup.parse(HtmlReport.render(r)).select("div.chart"))
                .as("two entities and the curves")
                .hasSize(2 + 1);
    }

    /** The alerts read off the events' verdicts alone: opened where one turns on, resolved where it turns off. */
    private static List<Alert> expectedAlerts(EvaluationReport e, int from, int n) {
        List<Alert> out = new ArrayList<>();
        boolean open = false;
        for (int i = from; i < from + n; i++) {
            EvaluationReport.Event ev = e.event(i);
            if (!open && ev.anomalous()) {
                out.add(new Alert(ev.timestamp(), Status.OPEN, ""));
            } else if (open && !ev.anomalous()) {
                out.add(new Alert(ev.timestamp(), Status.RESOLVED, ""));
            }
            open = ev.anomalous();
        }
        return out;
    }

    /** Synthetic readings shifted up by 4 inside the windows (both ends inclusive), labelled there. */
    private static EntitySeries shifted(String entity, int rows, long seed, int[][] windows) {
        double[][] v = SyntheticData.values(rows, 3, seed, 0);
        boolean[] labels = new boolean[rows];
        for (int[] w : windows) {
            for (int i = w[0]; i <= w[1]; i++) {
                labels[i] = true;
                for (int j = 0; j < 3; j++) {
                    v[i][j] += 4;
                }
            }
        }
        return new EntitySeries(entity, SyntheticData.timestamps(rows, 0), v, labels, "synthetic");
    }
}
