#!/usr/bin/env node
// A tiny trial for the kubetune trial contract (docs/local-mode.md), with no dependencies:
// "trains" for a few steps towards loss = (x - 0.3)^2 + (y + 0.1)^2 (+ a bonus per `shape`),
// printing one metric line per step and writing the result document at the end.
//
//   in:   $KUBETUNE_PARAMS_FILE (JSON) — or KUBETUNE_PARAM_X, KUBETUNE_PARAM_Y, KUBETUNE_PARAM_SHAPE
//   live: kubetune-metrics step=<n> loss=<value>
//   out:  $KUBETUNE_RESULT_FILE: {"status":"succeeded","metrics":{"loss":...}}
//   stop: SIGTERM writes what it has (status "pruned") and exits.
import { readFileSync, writeFileSync } from 'node:fs';

const params = process.env.KUBETUNE_PARAMS_FILE
  ? JSON.parse(readFileSync(process.env.KUBETUNE_PARAMS_FILE, 'utf8'))
  : { x: Number(process.env.KUBETUNE_PARAM_X), y: Number(process.env.KUBETUNE_PARAM_Y), shape: process.env.KUBETUNE_PARAM_SHAPE };
const steps = Number(process.env.QUADRATIC_STEPS ?? 5);
const stepMs = Number(process.env.QUADRATIC_STEP_MS ?? 20);
const bonus = { bowl: 0, ridge: 0.05, flat: 0.1 }[params.shape] ?? 0;
const target = (params.x - 0.3) ** 2 + (params.y + 0.1) ** 2 + bonus;

let loss = Number.NaN;
let step = 0;
function finish(status) {
  const doc = { status, metrics: { loss }, step };
  if (process.env.KUBETUNE_RESULT_FILE) writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify(doc));
}
process.on('SIGTERM', () => {
  finish('pruned');
  process.exit(143);
});

for (step = 1; step <= steps; step++) {
  await new Promise((resolve) => setTimeout(resolve, stepMs));
  // Converges geometrically from target + 1 to the target.
  loss = target + 2 ** -step;
  console.log(`kubetune-metrics step=${step} loss=${loss}`);
}
step = steps;
finish('succeeded');
