/**
 * The test problems of the samplers benchmark, from problems.json (shared with the Python side,
 * bench/samplers/problems.py). Each formula is written once here and once there; the unit test
 * test/unit/bench/problems.test.ts checks both agree, so our samplers and Optuna's are scored on
 * exactly the same functions.
 */
import { readFileSync } from 'node:fs';

import type { Params } from '../../operator/space/types.js';

export interface ProblemSpec {
  name: string;
  function: string;
  /** Known global minimum; regret = best value found - fStar. */
  fStar: number;
  note: string;
  parameters: unknown[];
}

interface ProblemsFile {
  problems: ProblemSpec[];
  constants: { hartmann6: { alpha: number[]; A: number[][]; P: number[][] } };
}

export interface Problem extends ProblemSpec {
  evaluate(params: Params): number;
}

export const problemsFile = new URL('./problems.json', import.meta.url);
const file = JSON.parse(readFileSync(problemsFile, 'utf8')) as ProblemsFile;
const H6 = file.constants.hartmann6;

/** Coordinates x1..xn of a point, in order. */
function xs(params: Params, n: number, prefix = 'x'): number[] {
  return Array.from({ length: n }, (_, i) => params[`${prefix}${i + 1}`] as number);
}

export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

export function hartmann6(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += (H6.A[i]![j] as number) * ((x[j] as number) - (H6.P[i]![j] as number)) ** 2;
    sum += (H6.alpha[i] as number) * Math.exp(-inner);
  }
  return -sum;
}

export function rosenbrock(x: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < x.length; i++) sum += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + ((x[i] as number) - 1) ** 2;
  return sum;
}

export function ackley(x: readonly number[]): number {
  const n = x.length;
  const squares = x.reduce((s, v) => s + v * v, 0) / n;
  const cosines = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / n;
  return -20 * Math.exp(-0.2 * Math.sqrt(squares)) - Math.exp(cosines) + 20 + Math.E;
}

export function styblinskiTang(x: readonly number[]): number {
  return 0.5 * x.reduce((s, v) => s + v ** 4 - 16 * v ** 2 + 5 * v, 0);
}

export function mixedConditional(p: Params): number {
  let branch: number;
  switch (p.model) {
    case 'branin':
      branch = branin(p.x1 as number, p.x2 as number);
      break;
    case 'sphere':
      branch = 0.5 + xs(p, 3, 'z').reduce((s, z) => s + (z - 1) ** 2, 0);
      break;
    case 'ladder':
      branch = 2 + Math.abs((p.k as number) - 36) / 10;
      break;
    default:
      throw new Error(`unknown model ${String(p.model)}`);
  }
  return branch + 0.02 * (Math.log2(p.units as number) - 5) ** 2 + 0.5 * (Math.log10(p.lr as number) + 2.5) ** 2;
}

const formulas: Record<string, (p: Params, dims: number) => number> = {
  branin: (p) => branin(p.x1 as number, p.x2 as number),
  hartmann6: (p) => hartmann6(xs(p, 6)),
  rosenbrock: (p, n) => rosenbrock(xs(p, n)),
  ackley: (p, n) => ackley(xs(p, n)),
  styblinskiTang: (p, n) => styblinskiTang(xs(p, n)),
  mixedConditional: (p) => mixedConditional(p),
};

export const problems: readonly Problem[] = file.problems.map((spec) => {
  const formula = formulas[spec.function];
  if (formula === undefined) throw new Error(`problems.json: no formula named ${spec.function}`);
  const dims = spec.parameters.length;
  return { ...spec, evaluate: (params: Params) => formula(params, dims) };
});

/** Regret of a best value: how far above the known minimum, never below 0 (rounding). */
export function regretOf(problem: ProblemSpec, best: number): number {
  return Math.max(0, best - problem.fStar);
}
