/**
 * `kubetune report <results-dir>`: the results of a local study as one self-contained HTML file
 * (`<results-dir>/report.html` unless `--out` says otherwise), and, on request, every trial as
 * CSV (`--csv`) and XLSX (`--xlsx`). Reads the results directory and the study file it holds,
 * builds the report input (operator/report/from-local.ts), writes the files and prints their paths.
 *
 * Works while the study runs too: running trials show as such. Studies on a cluster come later.
 * Exit codes: 0 written, 1 nothing to report, 2 usage.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { readResults } from '../../local/results-reader.js';
import { STUDY_FILE } from '../../local/results-format.js';
import { exportCsv } from '../../report/csv.js';
import { reportInputFromLocal } from '../../report/from-local.js';
import { renderReportHtml } from '../../report/html.js';
import { exportXlsx } from '../../report/xlsx.js';
import { ExitError, UsageError } from '../errors.js';
import { loadStudyFile } from '../load-study.js';

/** `--csv` alone means "next to the report"; `--csv <file>` names the file. */
function exportPath(option: unknown, dir: string, name: string): string | undefined {
  if (option === undefined || option === false) return undefined;
  return option === true ? join(dir, name) : resolve(String(option));
}

export default async function report(args: string[], options: Record<string, unknown>): Promise<number> {
  const dir = resolve(args[0] as string);
  const studyFile = join(dir, STUDY_FILE);
  if (!existsSync(studyFile)) {
    throw new ExitError(`${dir} is not a kubetune results directory (no ${STUDY_FILE})`, 1, 'pass the directory `kubetune run` wrote, e.g. kubetune-results/<study name>');
  }
  let top: number | undefined;
  if (options.top !== undefined) {
    top = Number(options.top);
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got ${JSON.stringify(options.top)}`);
  }
  const spec = loadStudyFile(studyFile).resolved;
  const record = readResults(dir);
  if (record.trials.length === 0) throw new ExitError(`no trials recorded in ${dir} yet`, 1);

  const input = reportInputFromLocal(record, spec, new Date().toISOString());
  const htmlPath = typeof options.out === 'string' ? resolve(options.out) : join(dir, 'report.html');
  writeFileSync(htmlPath, renderReportHtml(input, top === undefined ? {} : { topTrials: top }));
  const written = [htmlPath];

  const csvPath = exportPath(options.csv, dir, 'trials.csv');
  if (csvPath !== undefined) {
    writeFileSync(csvPath, exportCsv(input));
    written.push(csvPath);
  }
  const xlsxPath = exportPath(options.xlsx, dir, 'trials.xlsx');
  if (xlsxPath !== undefined) {
    writeFileSync(xlsxPath, await exportXlsx(input));
    written.push(xlsxPath);
  }
  process.stderr.write(`report of ${input.study}: ${input.trials.length} trials\n`);
  for (const path of written) process.stdout.write(`${path}\n`);
  return 0;
}
