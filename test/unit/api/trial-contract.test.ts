import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  formatMetricLine,
  formatTrialResult,
  MAX_RESULT_BYTES,
  MetricLineError,
  paramEnvName,
  parseMetricLine,
  parseTrialResult,
  TrialResultError,
} from '../../../operator/api/trial-contract.js';

describe('metric lines', () => {
  it('round-trips values, NaN and infinities included', () => {
    const report = { step: 3, values: { loss: 0.4121, acc: 1, tiny: 3e-12, n: Number.NaN, hi: Infinity, lo: -Infinity } };
    const line = formatMetricLine(report);
    assert.equal(line, 'kubetune-metrics step=3 loss=0.4121 acc=1 tiny=3e-12 n=nan hi=inf lo=-inf');
    assert.deepEqual(parseMetricLine(line), report);
  });

  it('ignores ordinary output and tolerates a CRLF ending', () => {
    assert.equal(parseMetricLine('Epoch 1/10 - loss: 0.3'), undefined);
    assert.equal(parseMetricLine('kubetune-metricsX step=1 a=1'), undefined);
    assert.deepEqual(parseMetricLine('kubetune-metrics step=0 val_acc=0.5\r'), { step: 0, values: { val_acc: 0.5 } });
  });

  it('accepts the spellings of NaN and infinity that frameworks print', () => {
    assert.deepEqual(parseMetricLine('kubetune-metrics step=1 a=NaN b=Infinity c=-INF d=+inf')?.values, {
      a: Number.NaN, b: Infinity, c: -Infinity, d: Infinity,
    });
  });

  it('rejects a garbled metric line instead of half-parsing it', () => {
    for (const bad of [
      'kubetune-metrics',
      'kubetune-metrics loss=1',
      'kubetune-metrics step=-1 loss=1',
      'kubetune-metrics step=1',
      'kubetune-metrics step=1 loss=abc',
      'kubetune-metrics step=1 loss=0x10',
      'kubetune-metrics step=1 loss=1 loss=2',
      'kubetune-metrics step=1  loss=1',
      'kubetune-metrics step=1 $(rm)=1',
    ]) {
      assert.throws(() => parseMetricLine(bad), MetricLineError, bad);
    }
  });

  it('refuses to format a line the parser would reject', () => {
    assert.throws(() => formatMetricLine({ step: 1.5, values: { a: 1 } }), RangeError);
    assert.throws(() => formatMetricLine({ step: 1, values: {} }), RangeError);
    assert.throws(() => formatMetricLine({ step: 1, values: { 'a b': 1 } }), RangeError);
  });
});

describe('trial results', () => {
  it('round-trips, encoding non-finite numbers as strings', () => {
    const result = { status: 'succeeded' as const, metrics: { acc: 0.9, loss: Number.NaN, big: Infinity }, step: 4 };
    const text = formatTrialResult(result);
    assert.match(text, /"loss":"NaN"/);
    assert.deepEqual(parseTrialResult(text), result);
  });

  it('stays under the termination-message limit by shortening the message', () => {
    const text = formatTrialResult({ status: 'failed', metrics: {}, reason: 'DatasetError', message: 'x'.repeat(10_000) });
    assert.ok(Buffer.byteLength(text) <= MAX_RESULT_BYTES);
    const parsed = parseTrialResult(text);
    assert.equal(parsed.reason, 'DatasetError');
    assert.ok(parsed.message!.endsWith('...'));
  });

  it('rejects documents that are not results, naming the problem', () => {
    for (const [text, why] of [
      ['nope', /not JSON/],
      ['[]', /object/],
      ['{"status":"done"}', /status/],
      ['{"status":"failed","metrics":{"a":"x"}}', /"a" is not a number/],
      ['{"status":"failed","step":-1}', /step/],
      ['{"status":"failed","reason":3}', /reason/],
    ] as const) {
      assert.throws(() => parseTrialResult(text), (e: unknown) => e instanceof TrialResultError && why.test(e.message), text);
    }
  });

  it('names parameter variables after the parameter', () => {
    assert.equal(paramEnvName('learning-rate'), 'KUBETUNE_PARAM_LEARNING_RATE');
    assert.equal(paramEnvName('conv.1'), 'KUBETUNE_PARAM_CONV_1');
  });
});
