/**
 * The GP's trust region: the side replayed from a history of improvements and failures (TuRBO's
 * rules), the restarts and where each new local run is centred, the box it spans, and that the
 * sampler keeps its proposals inside it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { GpSampler } from '../../../../operator/samplers/gp/index.js';
import { defaultTrustRegion, localRunCentre, mapIntoBox, replayTrustRegion, trustRegionBox } from '../../../../operator/samplers/gp/trust-region.js';
import type { TrialRecord } from '../../../../operator/samplers/types.js';
import { SearchSpace } from '../../../../operator/space/space.js';
import { suggestAt } from '../helpers.js';

const rules = { initial: 0.8, max: 1.6, min: 2 ** -7, successes: 3, failures: 4 };
/** `k` losses that never improve on 0 (the start-up trial). */
const flat = (k: number) => Array.from({ length: k }, () => 1);
const trustRegionSide = (losses: number[], startup: number, o: typeof rules) => replayTrustRegion(losses, startup, o).side;

describe('trust region side', () => {
  it('starts at the initial side and ignores the start-up trials', () => {
    assert.equal(trustRegionSide([], 0, rules), 0.8);
    assert.equal(trustRegionSide([5, 4, 3, 2, 1, 0.5], 6, rules), 0.8); // all start-up: no steps
  });

  it('halves after each run of `failures` trials without improvement', () => {
    assert.equal(trustRegionSide([0, ...flat(3)], 1, rules), 0.8);
    assert.equal(trustRegionSide([0, ...flat(4)], 1, rules), 0.4);
    assert.equal(trustRegionSide([0, ...flat(8)], 1, rules), 0.2);
    // An improvement resets the count of failures.
    assert.equal(trustRegionSide([0, 1, 1, 1, -1, 1, 1, 1], 1, rules), 0.8);
  });

  it('doubles after `successes` improvements in a row, up to the largest side', () => {
    assert.equal(trustRegionSide([0, ...flat(4), -1, -2, -3], 1, rules), 0.8);
    assert.equal(trustRegionSide([0, -1, -2, -3], 1, rules), 1.6);
    assert.equal(trustRegionSide([0, -1, -2, -3, -4, -5, -6], 1, rules), 1.6);
  });

  it('counts only real improvements: within 10⁻³ of the best is a failure', () => {
    assert.equal(trustRegionSide([1, 0.9995, 0.9991, 0.99905, 0.999], 1, rules), 0.4);
  });

  it('restarts at the initial side once it would fall below the smallest', () => {
    // 0.8 halves 6 times to 0.0125, the 7th halving (0.00625 < 2⁻⁷) restarts.
    assert.equal(trustRegionSide([0, ...flat(24)], 1, rules), 0.0125);
    assert.deepEqual(replayTrustRegion([0, ...flat(28)], 1, rules), { side: 0.8, restarts: [28] });
  });

  it('counts improvements after a restart against the new local run\'s own best', () => {
    // After the restart at trial 28, the new run's first trial (5) sets its best; 4, 3, 2 are
    // worse than the global best (0) but three improvements in a row for the run: the side doubles.
    assert.deepEqual(replayTrustRegion([0, ...flat(28), 5, 4, 3], 1, rules), { side: 0.8, restarts: [28] });
    assert.deepEqual(replayTrustRegion([0, ...flat(28), 5, 4, 3, 2], 1, rules), { side: 1.6, restarts: [28] });
    // The same trials without a restart before them are failures.
    assert.equal(trustRegionSide([0, 5, 4, 3], 1, rules), 0.8);
    assert.equal(trustRegionSide([0, 5, 4, 3, 2], 1, rules), 0.4);
  });

  it('fails more slowly in more dimensions: max(4, d) failures per halving', () => {
    assert.equal(defaultTrustRegion(2).failures, 4);
    assert.equal(defaultTrustRegion(10).failures, 10);
  });
});

describe('local run centre', () => {
  // Five trials on a line (one coordinate, lengthscale 0.1): a radius of 2 lengthscales is 0.2.
  const coords = Float64Array.of(0.1, 0.15, 0.5, 0.9, 0.55);
  const one = Float64Array.of(0.1);
  const centre = (losses: number[], restarts: number[], c = coords) => localRunCentre(losses, c, 1, restarts, one, [true], 2);

  it('is the best trial before any restart', () => {
    assert.equal(centre([3, 1, 2, 5, 4], []), 1);
  });

  it('moves at a restart to the best trial far from the incumbent, then follows the run\'s own best', () => {
    // Restart at trial 3: the incumbent is trial 1 (x = 0.15); trial 0 (x = 0.1) is too close,
    // trial 2 (x = 0.5, loss 2) is the best far one.
    assert.equal(centre([1.5, 1, 2, 5], [3]), 2);
    // Trial 4 (loss 1.8) is the new run's best and better than its start.
    assert.equal(centre([1.5, 1, 2, 5, 1.8], [3]), 4);
  });

  it('avoids the earlier runs\' starts and bests at the next restart', () => {
    // Second restart at trial 4: trials 1 (incumbent), 2 (the first run's start) and 4 (its best,
    // x = 0.55) are visited; trial 3 (x = 0.9) is the only far one.
    assert.equal(centre([1.5, 1, 2, 5, 1.8], [3, 4]), 3);
  });

  it('stays on the best trial when no trial is far enough', () => {
    const near = Float64Array.of(0.1, 0.15, 0.2, 0.12);
    assert.equal(centre([1.5, 1, 2, 5], [3], near), 1);
  });
});

describe('trust region box', () => {
  it('is centred on the best point, stretched by the lengthscales, and clipped to the cube', () => {
    const { lower, upper } = trustRegionBox(Float64Array.of(0.5, 0.5, 0.05), Float64Array.of(0.2, 0.8, 0.4), 0.2, [true, true, true]);
    // Geometric mean of the lengthscales is 0.4: sides 0.1, 0.4, 0.2.
    assert.ok(Math.abs((upper[0] as number) - (lower[0] as number) - 0.1) < 1e-12);
    assert.ok(Math.abs((upper[1] as number) - (lower[1] as number) - 0.4) < 1e-12);
    assert.ok(Math.abs((lower[0] as number) + (upper[0] as number) - 1) < 1e-12); // centred
    assert.equal(lower[2], 0); // 0.05 - 0.1 clipped
    assert.ok(Math.abs((upper[2] as number) - 0.15) < 1e-12);
  });

  it('maps cube points affinely into it: corners to corners, the centre to the centre', () => {
    const box = { lower: Float64Array.of(0.2, 0), upper: Float64Array.of(0.4, 1) };
    const points = Float64Array.of(0, 0, 1, 1, 0.5, 0.25);
    mapIntoBox(points, 3, box);
    assert.deepEqual(Array.from(points).map((v) => Math.round(v * 1e12) / 1e12), [0.2, 0, 0.4, 1, 0.3, 0.25]);
  });

  it('leaves unrestricted (categorical) coordinates the whole range, and they do not stretch the others', () => {
    const { lower, upper } = trustRegionBox(Float64Array.of(0.5, 0.25), Float64Array.of(0.3, 100), 0.1, [true, false]);
    assert.ok(Math.abs((upper[0] as number) - (lower[0] as number) - 0.1) < 1e-12);
    assert.deepEqual([lower[1], upper[1]], [0, 1]);
  });
});

describe('gp sampler with a trust region', () => {
  const line = SearchSpace.parse([{ name: 'x', type: 'float', min: 0, max: 1 }]);
  // Ten start-up trials spread over the line, the best at x = 0.31; then 16 trials near it that
  // never improve: the side is 0.8 / 2⁴ = 0.05, so the box is [0.285, 0.335].
  const history: TrialRecord[] = [];
  for (let i = 0; i < 10; i++) {
    const x = i === 3 ? 0.31 : (i + 0.5) / 10;
    history.push({ index: i, params: { x }, state: 'succeeded', value: i === 3 ? 0 : 1 + x });
  }
  for (let i = 10; i < 26; i++) history.push({ index: i, params: { x: 0.31 + (i % 2 === 0 ? 1 : -1) * 0.002 * (i - 9) }, state: 'succeeded', value: 0.5 });

  it('proposes inside the box around the best trial after a run of failures', () => {
    for (const seed of [0, 1, 2]) {
      const s = suggestAt(new GpSampler(), line, history, 26, seed);
      assert.ok('params' in s);
      const x = s.params.x as number;
      assert.ok(x >= 0.285 - 1e-9 && x <= 0.335 + 1e-9, `seed ${seed}: x = ${x}`);
    }
  });

  it('searches the whole line with trustRegion: false', () => {
    const outside = [0, 1, 2].map((seed) => suggestAt(new GpSampler({ trustRegion: false }), line, history, 26, seed)).filter((s) => 'params' in s && Math.abs((s.params.x as number) - 0.31) > 0.025);
    assert.ok(outside.length > 0, 'every proposal fell in the box anyway');
  });
});
