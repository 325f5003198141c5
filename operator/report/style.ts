/**
 * The report's stylesheet, inlined into the page. System fonts only: a report opened offline or
 * years later must not reach for a font server.
 */
export const REPORT_CSS = `
:root {
  --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6f8; --card: #ffffff;
  --accent: #3a6fd8; --good: #139a6a; --warn: #e8912d; --bad: #d64545;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1280px; margin: 0 auto; padding: 24px 24px 40px; }
header.report { margin-bottom: 16px; }
header.report .brand { color: var(--muted); font-size: 12px; letter-spacing: .08em; text-transform: uppercase; }
header.report h1 { margin: 2px 0 4px; font-size: 26px; font-weight: 650; word-break: break-word; }
header.report .meta { color: var(--muted); }
header.report .meta b { color: var(--text); font-weight: 600; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0 20px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.stat .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.stat .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat .sub { color: var(--muted); font-size: 12px; }
.stat.succeeded .value { color: var(--accent); }
.stat.pruned .value { color: var(--warn); }
.stat.failed .value { color: var(--bad); }
.stat.best .value { color: var(--good); }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.grid > .wide { grid-column: 1 / -1; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; min-width: 0; }
section.card h2 { margin: 0 0 2px; font-size: 17px; font-weight: 650; }
section.card p.note { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
section.card p.empty { margin: 24px 0; color: var(--muted); font-style: italic; text-align: center; }
.chart { width: 100%; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: none; background: #fafbfc; }
td.num, th.num { text-align: right; }
tr.top td { background: #eefaf4; }
td.value { font-weight: 600; }
.group { font-size: 11px; color: var(--muted); font-weight: 500; display: block; }
footer { margin-top: 20px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } section.card { break-inside: avoid; } }
`;
