import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkpointTable, fmt, fmtRatio, markdownTable, regretRatio, SOLVED_REGRET, summarize, worstRatio } from '../../../bench/samplers/summary.js';

describe('the samplers benchmark summary', () => {
  it('divides our median regret by Optuna\'s', () => {
    assert.equal(regretRatio(2, 4), 0.5);
    assert.equal(regretRatio(3, 1), 3);
  });

  it('treats two solved medians (0/0) as a tie, and never divides by zero', () => {
    assert.equal(regretRatio(0, 0), 1);
    assert.equal(regretRatio(1e-12, 0), 1);
    assert.equal(regretRatio(0, 0.5), SOLVED_REGRET / 0.5);
    assert.equal(regretRatio(1e-3, 0), 1e-3 / SOLVED_REGRET);
    assert.ok(Number.isFinite(regretRatio(5, 0)));
  });

  it('takes medians and quartiles over seeds and finds the worst TPE ratio', () => {
    const ours = { a: { tpe: [1, 2, 3, 4, 5], random: [1, 1, 1] }, b: { tpe: [0, 0, 0] } };
    const optuna = { a: { tpe: [2, 2, 2], random: [2, 2, 2] }, b: { tpe: [0, 0, 1] } };
    const s = summarize(['a', 'b'], ours, optuna);
    const tpeA = s[0]!.pairs.find((p) => p.label === 'TPE')!;
    assert.deepEqual(tpeA.oursRegret, { median: 3, q1: 2, q3: 4 });
    assert.equal(tpeA.ratio, 1.5);
    assert.equal(s[1]!.pairs.find((p) => p.label === 'TPE')!.ratio, 1);
    assert.deepEqual(worstRatio(s), { ratio: 1.5, problem: 'a' });
    // Sobol was not run on either side: no ratio, a dash in the table.
    assert.equal(s[0]!.pairs.find((p) => p.label === 'Sobol / QMC')!.ratio, undefined);
    assert.match(markdownTable(s), /\| a \| 3 <sub>\[2, 4\]<\/sub> \| 2 <sub>\[2, 2\]<\/sub> \| \*\*1.50\*\* \|/);
  });

  it('tabulates the median best-so-far regret of TPE at each checkpoint, ours / Optuna\'s', () => {
    const ours = { a: { tpe: [[4, 2], [6, 1], [8, 3]] } };
    const optuna = { a: { tpe: [[5, 1], [5, 1], [5, 1]] } };
    const table = checkpointTable(['a', 'b'], [10, 20], ours, optuna);
    assert.match(table, /\| problem \| 10 trials \| 20 trials \|/);
    assert.match(table, /\| a \| 6 \/ 5 \| 2 \/ 1 \|/);
    assert.match(table, /\| b \| — \/ — \| — \/ — \|/);
  });

  it('reports no worst ratio when our TPE did not run', () => {
    assert.equal(worstRatio(summarize(['a'], { a: {} }, { a: { tpe: [1] } })), undefined);
  });

  it('prints three significant digits', () => {
    assert.equal(fmt(0.123456), '0.123');
    assert.equal(fmt(1234.5), '1230');
    assert.equal(fmt(0.0000123), '1.23e-5');
    assert.equal(fmt(0), '0');
    assert.equal(fmtRatio(1.0003), '1.00');
    assert.equal(fmtRatio(5.0649), '5.06');
  });
});
