/**
 * `kubetune validate <files...>`: checks study files with exactly the validation `run` and the
 * operator use, and prints every problem with `file:line`, its field path and a hint.
 * Exit 0 when every file is valid, 1 otherwise.
 */
import { ExitError, formatIssue } from '../errors.js';
import { checkStudyFile } from '../load-study.js';
import { validMessage } from '../messages.js';

export default async function validate(files: string[], options: Record<string, unknown>): Promise<number> {
  let bad = 0;
  const report: unknown[] = [];
  for (const file of files) {
    let checked: ReturnType<typeof checkStudyFile>;
    try {
      checked = checkStudyFile(file);
    } catch (err) {
      if (!(err instanceof ExitError)) throw err;
      // An unreadable file is one more invalid file; the others are still checked.
      bad += 1;
      if (options.json === true) report.push({ file, valid: false, issues: [{ code: 'unreadable', path: '', message: err.message, location: file }] });
      else process.stderr.write(`${err.message}\n`);
      continue;
    }
    if (checked.issues.length > 0) bad += 1;
    if (options.json === true) {
      report.push({ file, valid: checked.issues.length === 0, issues: checked.issues.map((i) => ({ ...i, location: checked.locate(i.path) })) });
      continue;
    }
    if (checked.resolved !== undefined) {
      process.stdout.write(`${validMessage(file, checked.resolved)}\n`);
    } else {
      process.stderr.write(`${file}: ${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}\n`);
      for (const issue of checked.issues) process.stderr.write(`  ${formatIssue(issue, checked.locate(issue.path))}\n`);
    }
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return bad > 0 ? 1 : 0;
}
