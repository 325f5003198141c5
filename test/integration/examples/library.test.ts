/**
 * The README's library example is the file examples/library/ask-tell.ts, verbatim, and it runs
 * as written (style.md: "Examples run").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = 'examples/library/ask-tell.ts';

describe('the README library example', () => {
  it('is the example file, verbatim', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const source = readFileSync(`${root}${example}`, 'utf8');
    assert.ok(readme.includes('```ts\n' + source + '```'), `README.md must quote ${example} exactly`);
  });

  it('runs as written and finds the optimum region', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', example], { cwd: root, encoding: 'utf8' });
    const m = /best of 60 trials: #\d+ val_loss=([\d.]+)/.exec(out);
    assert.ok(m, out);
    // The minimum is 0 at lr=0.01, layers=3, adam. Measured when this test was written: TPE
    // with seeds 1-5 and 42 reaches 0.0000-0.0009; random search with the same seeds 0.009-0.12
    // (median ~0.1).
    assert.ok(Number(m[1]) < 0.01, out);
  });
});
