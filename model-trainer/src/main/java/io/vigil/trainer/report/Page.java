package io.vigil.trainer.report;

/**
 * The report's fixed style sheet and its script: sorting the table, and handing each chart's option (a
 * JSON script element beside the chart's container) to ECharts, drawn as SVG.
 */
final class Page {

    private Page() {}

    static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f4f5f7; color: #1d1d1f;
              font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
            main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 40px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 18px; margin: 0 0 6px; word-break: break-all; }
            .subtitle { color: #5f6368; margin: 0 0 16px; }
            .note { color: #5f6368; margin: 10px 0 0; }
            .headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; padding: 0; list-style: none; }
            .metric { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 10px 18px; min-width: 96px; }
            .metric .value { display: block; font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
            .metric .name { display: block; color: #5f6368; font-size: 12px; letter-spacing: .03em; }
            .card { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 16px 20px; margin: 20px 0; }
            .facts { color: #5f6368; margin: 0 0 6px; }
            .file-metrics { display: flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; padding: 0; margin: 0 0 10px; }
            .file-metrics .name { color: #5f6368; }
            .file-metrics .value { font-weight: 600; font-variant-numeric: tabular-nums; }
            .table-wrap { max-height: 560px; overflow: auto; }
            table.files { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
            table.files th, table.files td { padding: 5px 10px; border-bottom: 1px solid #eceff1; text-align: right; white-space: nowrap; }
            table.files th:first-child, table.files td:first-child { text-align: left; white-space: normal; word-break: break-all; }
            table.files th { position: sticky; top: 0; background: #f8f9fa; cursor: pointer; user-select: none; }
            table.files th[data-dir="asc"]::after { content: " \u25b2"; }
            table.files th[data-dir="desc"]::after { content: " \u25bc"; }
            table.files tbody tr:hover { background: #f3f7fc; }
            a { color: #0b57d0; text-decoration: none; }
            a:hover { text-decoration: underline; }
            .chart { width: 100%; margin: 6px 0; }
            .chart.curves { max-width: 100%; }
            .key { color: #5f6368; font-size: 12px; margin: 4px 0 0; }
            .swatch { display: inline-block; width: 18px; height: 10px; margin: 0 5px 0 12px; vertical-align: middle; }
            .swatch:first-child { margin-left: 0; }
            .swatch.window { background: #fcdcc0; }
            .swatch.unscored { background: #e3e3e3; }
            .swatch.open { height: 0; border-top: 2px solid #b2182b; }
            .swatch.resolved { height: 0; border-top: 2px dashed #1b7837; }
            footer { color: #80868b; font-size: 12px; margin-top: 24px; }
            """;

    static final String SCRIPT = """
            (function () {
              var each = function (list, f) { Array.prototype.forEach.call(list, f); };
              each(document.querySelectorAll('table.sortable'), function (table) {
                var heads = table.tHead.rows[0].cells;
                table.setAttribute('data-sort-ready', 'true');
                each(heads, function (th, col) {
                  th.addEventListener('click', function () {
                    var asc = th.getAttribute('data-dir') !== 'asc';
                    each(heads, function (other) { other.removeAttribute('data-dir'); });
                    th.setAttribute('data-dir', asc ? 'asc' : 'desc');
                    var numeric = th.getAttribute('data-type') === 'number';
                    var body = table.tBodies[0];
                    var rows = Array.prototype.slice.call(body.rows);
                    var key = function (row) { return row.cells[col].getAttribute('data-sort') || ''; };
                    rows.sort(function (a, b) {
                      var x = key(a), y = key(b);
                      if (!numeric) { return asc ? x.localeCompare(y) : y.localeCompare(x); }
                      if (x === '' || y === '') { return x === y ? 0 : (x === '' ? 1 : -1); }
                      return asc ? Number(x) - Number(y) : Number(y) - Number(x);
                    });
                    each(rows, function (row) { body.appendChild(row); });
                  });
                });
              });
              var charts = [];
              each(document.querySelectorAll('div.chart'), function (el) {
                var option = JSON.parse(document.getElementById(el.getAttribute('data-option')).textContent);
                var chart = echarts.init(el, null, { renderer: 'svg' });
                chart.setOption(option);
                charts.push(chart);
                el.setAttribute('data-rendered', 'true');
              });
              window.addEventListener('resize', function () { each(charts, function (c) { c.resize(); }); });
            })();
            """;
}
