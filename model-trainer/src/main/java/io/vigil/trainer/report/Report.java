package io.vigil.trainer.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the HTML evaluation report shows, independent of who produced it (the trainer's
 * {@code evaluate} command, a corpus benchmark): a title, the headline metrics, one
 * {@link FileSection} per file or entity, and optionally the overall ROC and PR curves.
 *
 * <pre>{@code
 * Report r = new Report("SKAB benchmark", "model skab/20261201-103444 · 2026-12-01 10:40 UTC · vigil-bench skab",
 *         List.of(Metric.ratio("F1", 0.81), Metric.percent("FAR", 0.123)), files, Curves.of(ranking),
 *         List.of("Scores are NaN during each file's warm-up."));
 * HtmlReport.write(r, Path.of("target/report.html"));
 * }</pre>
 *
 * @param subtitle what was evaluated, when and how (model id and version, date, command)
 * @param curves the overall ROC and PR curves, or {@code null} when there are none (one class only)
 * @param notes sentences shown under the headline (how the numbers were computed, what was left out)
 * @param sections what each section is: a file (a corpus benchmark) or an entity (an evaluation, where
 *     one file may hold many entities)
 * @param tables further tables shown under the headline (e.g. each scorer's metrics per kind of fraud)
 * @param compared further curves drawn beside {@code curves} on the same ROC and PR charts (e.g. baselines)
 */
public record Report(
        String title,
        String subtitle,
        List<Metric> headline,
        List<FileSection> files,
        Curves curves,
        List<String> notes,
        Sections sections,
        List<Table> tables,
        List<Curves.Named> compared) {

    /** A table of named rows of metrics; the first column is the row's name. */
    public record Table(String title, String note, List<String> columns, List<Row> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            note = note == null ? "" : note;
        }
    }

    /** One row of a {@link Table}: its name and one metric per further column. */
    public record Row(String name, List<Metric> metrics) {
        public Row {
            metrics = List.copyOf(metrics);
        }
    }

    /** What the sections of a report are, as the page names them. */
    public enum Sections {
        FILES("file", "files", "File"),
        ENTITIES("entity", "entities", "Entity");

        private final String one;
        private final String many;
        private final String column;

        Sections(String one, String many, String column) {
            this.one = one;
            this.many = many;
            this.column = column;
        }

        /** {@code 1 file}, {@code 4 entities}. */
        public String count(int n) {
            return n + " " + (n == 1 ? one : many);
        }

        /** The per-section table's first column. */
        public String column() {
            return column;
        }
    }

    public Report {
        Objects.requireNonNull(title, "A report needs a title");
        subtitle = subtitle == null ? "" : subtitle;
        headline = List.copyOf(headline);
        files = List.copyOf(files);
        notes = notes == null ? List.of() : List.copyOf(notes);
        sections = sections == null ? Sections.FILES : sections;
        tables = tables == null ? List.of() : List.copyOf(tables);
        compared = compared == null ? List.of() : List.copyOf(compared);
    }

    /** A report without further tables or compared curves. */
    public Report(
            String title,
            String subtitle,
            List<Metric> headline,
            List<FileSection> files,
            Curves curves,
            List<String> notes,
            Sections sections) {
        this(title, subtitle, headline, files, curves, notes, sections, List.of(), List.of());
    }

    /** A report whose sections are files. */
    public Report(
            String title,
            String subtitle,
            List<Metric> headline,
            List<FileSection> files,
            Curves curves,
            List<String> notes) {
        this(title, subtitle, headline, files, curves, notes, Sections.FILES);
    }

    public Report(String title, String subtitle, List<Metric> headline, List<FileSection> files, Curves curves) {
        this(title, subtitle, headline, files, curves, List.of(), Sections.FILES);
    }

    public Optional<Curves> rocAndPr() {
        return Optional.ofNullable(curves);
    }
}
