/**
 * The dense linear algebra CMA-ES needs, on row-major `Float64Array` matrices: a symmetric
 * eigen-decomposition and a few products. Dimensions are those of a hyperparameter space (tens,
 * rarely a hundred), so the cyclic Jacobi method is the right tool: short, unconditionally stable,
 * accurate to the last bits on the small eigenvalues CMA-ES cares about, and fully deterministic —
 * the same matrix always gives the same bits, which the sampler's replay relies on.
 */

/** `n × n` identity. */
export function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

export interface Eigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Eigenvectors as the columns of a row-major `n × n` matrix, in the order of `values`. */
  readonly vectors: Float64Array;
}

/** Sweeps after which Jacobi gives up; it converges quadratically, in well under 20 in practice. */
const MAX_SWEEPS = 64;

/**
 * Eigen-decomposition `A = V diag(λ) Vᵀ` of the symmetric matrix `a` (only read, never changed)
 * by cyclic Jacobi rotations: each rotation zeroes one off-diagonal pair, and sweeping over all
 * pairs repeatedly drives the off-diagonal mass to zero quadratically once it is small.
 */
export function symmetricEigen(a: Float64Array, n: number): Eigen {
  const m = Float64Array.from(a);
  const v = identity(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += (m[p * n + p] as number) ** 2;
      for (let q = p + 1; q < n; q++) off += (m[p * n + q] as number) ** 2;
    }
    // Converged when the off-diagonal part is negligible next to the diagonal (relative to
    // machine precision squared), or exactly zero.
    if (off === 0 || off <= 1e-30 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const app = m[p * n + p] as number;
        const aqq = m[q * n + q] as number;
        // tan of the rotation angle that zeroes a_pq, taking the smaller root for stability.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J with J the rotation in the (p, q) plane: columns first, then rows.
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p] as number;
          const akq = m[k * n + q] as number;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k] as number;
          const aqk = m[q * n + k] as number;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  // Ascending order, ties broken by position, so the output is canonical.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (m[i * n + i] as number) - (m[j * n + j] as number) || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = m[from * n + from] as number;
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from] as number;
  });
  return { values, vectors };
}

/** `M x` for a row-major `n × n` matrix. */
export function matVec(m: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (m[i * n + j] as number) * (x[j] as number);
    out[i] = s;
  }
  return out;
}

/** Euclidean norm. */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}
