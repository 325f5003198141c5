/**
 * `kubetune report <results-dir | study>`: the results of a study as one self-contained HTML file,
 * and, on request, every trial as CSV (`--csv`) and XLSX (`--xlsx`).
 *
 * - A results directory (what `kubetune run` wrote): reads it and the study file it holds
 *   (operator/report/from-local.ts); the files go into the directory unless `--out` says otherwise.
 * - Anything else is the name of a TuningStudy on a cluster (kubeconfig, `-n`): reads the study
 *   and its complete history (operator/report/from-cluster.ts); the files go to the current
 *   directory as `<study>-report.html`, `<study>-trials.csv`, `<study>-trials.xlsx`.
 *
 * Works while the study runs too: running trials show as such.
 * Exit codes: 0 written, 1 nothing to report, 2 usage.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { STUDY_NAME_PATTERN } from '../../api/schema.js';

import { readResults } from '../../local/results-reader.js';
import { STUDY_FILE } from '../../local/results-format.js';
import { exportCsv } from '../../report/csv.js';
import { reportInputFromCluster } from '../../report/from-cluster.js';
import { reportInputFromLocal } from '../../report/from-local.js';
import type { ReportInput } from '../../report/model.js';
import { renderReportHtml } from '../../report/html.js';
import { exportXlsx } from '../../report/xlsx.js';
import { ExitError, UsageError } from '../errors.js';
import { clusterOptions, connectCluster } from '../cluster-study.js';
import { loadStudyFile } from '../load-study.js';

/** `--csv` alone means "next to the report"; `--csv <file>` names the file. */
function exportPath(option: unknown, dir: string, name: string): string | undefined {
  if (option === undefined || option === false) return undefined;
  return option === true ? join(dir, name) : resolve(String(option));
}

/** The report input, the folder its files go to and their name prefix. */
interface Source {
  input: ReportInput;
  dir: string;
  prefix: string;
}

function fromResultsDir(dir: string): Source {
  const studyFile = join(dir, STUDY_FILE);
  if (!existsSync(studyFile)) {
    throw new ExitError(`${dir} is not a kubetune results directory (no ${STUDY_FILE})`, 1, 'pass the directory `kubetune run` wrote, e.g. kubetune-results/<study name>, or the name of a study on a cluster');
  }
  const spec = loadStudyFile(studyFile).resolved;
  const record = readResults(dir);
  if (record.trials.length === 0) throw new ExitError(`no trials recorded in ${dir} yet`, 1);
  return { input: reportInputFromLocal(record, spec, new Date().toISOString()), dir, prefix: '' };
}

async function fromCluster(name: string, options: Record<string, unknown>): Promise<Source> {
  const cluster = connectCluster(clusterOptions(options));
  const study = await cluster.getStudy(name);
  const history = await cluster.readHistory(name, study.metadata.namespace);
  const input = reportInputFromCluster(study, history, new Date().toISOString());
  if (input.trials.length === 0) throw new ExitError(`study ${input.study} has no trials yet`, 1);
  return { input, dir: process.cwd(), prefix: `${name}-` };
}

export default async function report(args: string[], options: Record<string, unknown>): Promise<number> {
  const arg = args[0] as string;
  let top: number | undefined;
  if (options.top !== undefined) {
    top = Number(options.top);
    if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got ${JSON.stringify(options.top)}`);
  }
  // A directory is a local study; a study name that is not a directory here is one on a cluster.
  const isDir = existsSync(arg) && statSync(arg).isDirectory();
  if (!isDir && !new RegExp(STUDY_NAME_PATTERN).test(arg)) {
    throw new ExitError(`${arg} is neither a results directory nor a study name`, existsSync(arg) ? 1 : 2, 'pass the directory `kubetune run` wrote, or the name of a TuningStudy on a cluster');
  }
  const { input, dir, prefix } = isDir ? fromResultsDir(resolve(arg)) : await fromCluster(arg, options).catch((err: unknown) => {
    // Say how the argument was read: a mistyped directory should not look like a cluster problem.
    if (err instanceof ExitError) throw new ExitError(`${arg} is not a directory here, so it was read as a study on a cluster: ${err.message}`, err.code, err.hint);
    throw err;
  });

  const htmlPath = typeof options.out === 'string' ? resolve(options.out) : join(dir, `${prefix}report.html`);
  writeFileSync(htmlPath, renderReportHtml(input, top === undefined ? {} : { topTrials: top }));
  const written = [htmlPath];

  const csvPath = exportPath(options.csv, dir, `${prefix}trials.csv`);
  if (csvPath !== undefined) {
    writeFileSync(csvPath, exportCsv(input));
    written.push(csvPath);
  }
  const xlsxPath = exportPath(options.xlsx, dir, `${prefix}trials.xlsx`);
  if (xlsxPath !== undefined) {
    writeFileSync(xlsxPath, await exportXlsx(input));
    written.push(xlsxPath);
  }
  process.stderr.write(`report of ${input.study}: ${input.trials.length} trials\n`);
  for (const path of written) process.stdout.write(`${path}\n`);
  return 0;
}
