/**
 * The genetic operators and the generational bookkeeping, as pure functions: bounds, determinism
 * per seed, the shape of the variation, selection pressure, elitism and the hall of fame.
 * Statistical checks use thousands of draws and bounds many standard deviations wide.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hallOfFame, type Individual, parentPool } from '../../../../operator/samplers/evolution/generations.js';
import { crossover, type Gene, mutate, polynomialMutation, resampleLevel, sbx, tournament } from '../../../../operator/samplers/evolution/operators.js';
import { Rng } from '../../../../operator/samplers/rng.js';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('simulated binary crossover', () => {
  it('keeps children inside the bounds, parents on the bounds included', () => {
    const rng = new Rng(1, 'sbx-bounds');
    const edges = [0, 1, 1e-12, 1 - 1e-12, 0.5];
    for (let k = 0; k < 5000; k++) {
      const a = k < 25 ? (edges[k % 5] as number) : rng.next();
      const b = k < 25 ? (edges[Math.floor(k / 5)] as number) : rng.next();
      for (const eta of [0, 2, 15, 100]) {
        const [c1, c2] = sbx(a, b, eta, rng);
        assert.ok(c1 >= 0 && c1 <= 1 && c2 >= 0 && c2 <= 1, `sbx(${a}, ${b}, ${eta}) = ${c1}, ${c2}`);
      }
      const [d1, d2] = sbx(-3 + 5 * a, -3 + 5 * b, 15, rng, -3, 2);
      assert.ok(d1 >= -3 && d1 <= 2 && d2 >= -3 && d2 <= 2);
    }
  });

  it('far from the bounds, spreads children symmetrically about the parents’ midpoint', () => {
    const rng = new Rng(2, 'sbx-sum');
    for (let k = 0; k < 1000; k++) {
      const a = rng.next();
      const b = rng.next();
      const [c1, c2] = sbx(a, b, 15, rng, -1e9, 1e9);
      assert.ok(Math.abs(c1 + c2 - (a + b)) < 1e-6, `${a} ${b} → ${c1} ${c2}`);
    }
  });

  it('keeps children closer to their parents as eta grows', () => {
    const spread = (eta: number) => {
      const rng = new Rng(3, 'sbx-eta', eta);
      return mean(Array.from({ length: 4000 }, () => {
        const c = sbx(0.4, 0.6, eta, rng)[0];
        return Math.min(Math.abs(c - 0.4), Math.abs(c - 0.6));
      }));
    };
    assert.ok(spread(100) < spread(15) && spread(15) < spread(1), `${spread(100)} ${spread(15)} ${spread(1)}`);
  });

  it('is deterministic per seed and leaves equal parents alone', () => {
    assert.deepEqual(sbx(0.2, 0.7, 15, new Rng(4, 'x')), sbx(0.2, 0.7, 15, new Rng(4, 'x')));
    assert.notDeepEqual(sbx(0.2, 0.7, 15, new Rng(4, 'x')), sbx(0.2, 0.7, 15, new Rng(5, 'x')));
    assert.deepEqual(sbx(0.3, 0.3, 15, new Rng(4, 'x')), [0.3, 0.3]);
  });
});

describe('polynomial mutation', () => {
  it('keeps the gene inside the bounds, from the bounds too', () => {
    const rng = new Rng(5, 'pm-bounds');
    for (let k = 0; k < 5000; k++) {
      const x = k % 3 === 0 ? 0 : k % 3 === 1 ? 1 : rng.next();
      for (const eta of [0, 5, 20, 100]) {
        const y = polynomialMutation(x, eta, rng);
        assert.ok(y >= 0 && y <= 1, `pm(${x}, ${eta}) = ${y}`);
      }
      const z = polynomialMutation(10 + 5 * rng.next(), 20, rng, 10, 15);
      assert.ok(z >= 10 && z <= 15);
    }
  });

  it('takes smaller steps as eta grows, and is deterministic per seed', () => {
    const step = (eta: number) => {
      const rng = new Rng(6, 'pm-eta', eta);
      return mean(Array.from({ length: 4000 }, () => Math.abs(polynomialMutation(0.5, eta, rng) - 0.5)));
    };
    assert.ok(step(100) < step(20) && step(20) < step(2));
    assert.equal(polynomialMutation(0.3, 20, new Rng(7)), polynomialMutation(0.3, 20, new Rng(7)));
  });
});

describe('categorical genes', () => {
  const genes: Gene[] = [
    { kind: 'numeric', levels: Infinity },
    { kind: 'categorical', levels: 3 },
    { kind: 'categorical', levels: 2 },
  ];

  it('are swapped, never blended, by crossover', () => {
    const rng = new Rng(8, 'cx');
    const p1 = Float64Array.from([0.1, 1 / 6, 0.25]);
    const p2 = Float64Array.from([0.9, 5 / 6, 0.75]);
    for (let k = 0; k < 500; k++) {
      const [c1, c2] = crossover(p1, p2, genes, 15, rng);
      for (const j of [1, 2]) assert.deepEqual([c1[j], c2[j]].sort(), [p1[j], p2[j]].sort());
      assert.ok(c1[0]! >= 0 && c1[0]! <= 1 && c2[0]! >= 0 && c2[0]! <= 1);
    }
  });

  it('move to another value, at a cell centre, when mutated', () => {
    const rng = new Rng(9, 'mut');
    const x = Float64Array.from([0.5, 1 / 6, 0.25]);
    for (let k = 0; k < 500; k++) {
      const y = mutate(x, genes, 20, 1, rng);
      assert.ok([0.5, 5 / 6].includes(y[1]!) && y[1] !== x[1], `level ${y[1]}`);
      assert.equal(y[2], 0.75);
    }
    assert.equal(resampleLevel(0.5, 1, rng), 0.5);
  });
});

describe('tournament selection', () => {
  const losses = [5, 3, 9, 1, 7, 2, 8, 4, 6, 0];

  it('prefers the better individuals, more so for larger tournaments', () => {
    const wins = (size: number) => {
      const rng = new Rng(10, 'tour', size);
      const count = new Array<number>(losses.length).fill(0);
      for (let k = 0; k < 5000; k++) count[tournament(losses, size, rng)]! += 1;
      return count;
    };
    const three = wins(3);
    // Best (index 9) wins with probability 1 − 0.9³ ≈ 0.271, the worst (2) with 0.001.
    assert.ok(three[9]! > 1100 && three[9]! < 1600, `best won ${three[9]}`);
    assert.ok(three[2]! < 40, `worst won ${three[2]}`);
    const byLoss = losses.map((l, i) => [l, three[i]!] as const).sort((a, b) => a[0] - b[0]);
    assert.ok(byLoss[0]![1] > byLoss[4]![1] && byLoss[4]![1] > byLoss[9]![1]);
    assert.ok(wins(7)[9]! > three[9]!);
  });

  it('with a huge tournament, practically always picks the best', () => {
    const rng = new Rng(11, 'tour-big');
    for (let k = 0; k < 50; k++) assert.equal(tournament(losses, 500, rng), 9);
  });
});

function individual(index: number, loss: number, key = `k${index}`): Individual {
  return { index, genes: new Float64Array(1), loss, key };
}

describe('hall of fame', () => {
  it('holds the best distinct configurations, best first', () => {
    const done = [individual(0, 3), individual(1, 1), individual(2, 1, 'k1'), individual(3, 0.5), individual(4, 2), individual(5, 0.5)];
    const hof = hallOfFame(done, 3);
    // Trials 3 and 5 tie: the earlier one ranks first. Trial 2 repeats trial 1's configuration.
    assert.deepEqual(hof.map((i) => i.index), [3, 5, 1]);
    assert.deepEqual(hallOfFame(done, 10).map((i) => i.index), [3, 5, 1, 4, 0]);
  });
});

describe('parent pool', () => {
  const n = 4;

  it('is the previous generation when it fully succeeded, elites aside', () => {
    const done = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => individual(i, 10 - i));
    assert.deepEqual(parentPool(done, 2, n, 0).map((i) => i.index), [4, 5, 6, 7]);
  });

  it('keeps the best configuration ever found among the parents (elitism)', () => {
    // Trial 1 is the best of the study; generation 1 (trials 4–7) is worse throughout.
    const done = [individual(0, 5), individual(1, 0), individual(2, 6), individual(3, 7), ...[4, 5, 6, 7].map((i) => individual(i, 3 + i / 10))];
    const pool = parentPool(done, 2, n, 1);
    assert.equal(pool.length, n);
    assert.ok(pool.some((i) => i.index === 1), 'the elite is kept');
    assert.ok(!pool.some((i) => i.index === 7), 'the worst offspring made room');
    assert.ok(!parentPool(done, 2, n, 0).some((i) => i.index === 1), 'without elitism it is gone');
  });

  it('tops up from earlier trials when the previous generation failed or is still running', () => {
    // Only trial 5 of generation 1 succeeded.
    const done = [individual(0, 1), individual(1, 2), individual(2, 3), individual(3, 4), individual(5, 9)];
    assert.deepEqual(parentPool(done, 2, n, 0).map((i) => i.index), [1, 2, 3, 5]);
    assert.deepEqual(parentPool([], 2, n, 1), []);
    // Trials of the generation being bred, or later, never count.
    assert.deepEqual(parentPool([...done, individual(8, -1)], 2, n, 1), parentPool(done, 2, n, 1));
  });
});
