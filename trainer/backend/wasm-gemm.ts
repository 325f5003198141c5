/**
 * A single-precision matrix product in WebAssembly SIMD that runs on the wasm backend's own
 * heap, for the first dense layer of a network (trainer/model/input-dense.ts).
 *
 * Why: for the benchmark MLP (784-128-10, batch 128) two products are most of an epoch: the
 * forward x·W and the weight gradient xᵀ·dy. On tfjs-backend-wasm both go through XNNPACK's
 * fully-connected operator, which packs its "weights" operand on every call (W changes after
 * every optimizer step; dy every batch) — measured here, 0.3 ms of the forward's 1.2 ms for
 * 784×128 — and xᵀ·dy first needs x transposed (0.14 ms). This kernel reads both operands where
 * they lie, with any element strides for A (so xᵀ is read without being transposed), adds the
 * bias and applies ReLU while the tile is still in registers.
 *
 * C[M×N] = A·B (+ bias) (ReLU), A(i, k) at a + 4·(i·sAi + k·sAk), B row-major [K×N], C row-major.
 * Tiles of 2 rows × 16 columns accumulate in eight v128 locals (x64 has 16 xmm registers; tiles
 * with 12 accumulators measured slower here, spilled), leftover columns in strips of 4 and
 * leftover rows one at a time; N must be a multiple of 4. With relaxed SIMD each step is a fused
 * multiply-add (f32x4.relaxed_madd), which measured about 1.5× faster than a multiply and an add
 * (784×128 by 128: ≈ 0.55 ms, ≈ 47 GFLOP/s, against 0.9 ms for XNNPACK with its weights already
 * packed). The module is built byte by byte below (no toolchain needed) and imports the
 * backend's WebAssembly.Memory, so tensors are used in place and memory growth is shared.
 */

import { setFlagsFromString } from 'node:v8';

const ROWS = 2;
const VECS = 4;
/** N must be a multiple of this for the kernel to apply (strips of 16 columns, then of 4). */
export const GEMM_COLUMN_MULTIPLE = 4;

// Opcodes used (https://webassembly.github.io/spec/core/binary/instructions.html).
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i32Eqz: 0x45, i32Ne: 0x47, i32GtU: 0x4b, i32GeU: 0x4f, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
  simd: 0xfd,
} as const;
const SIMD = { f32x4RelaxedMadd: 0x105, f32x4Gt: 0x44, v128And: 0x4e, load: 0x00, load32Splat: 0x09, store: 0x0b, const: 0x0c, f32x4Splat: 0x13, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Max: 0xe9 } as const;
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number, ...rest: number[]) => [OP.simd, ...uleb(op), ...rest];
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
const get = (i: number) => [OP.localGet, ...uleb(i)];
const set = (i: number) => [OP.localSet, ...uleb(i)];
const i32 = (v: number) => [OP.i32Const, ...sleb(v)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));

/**
 * The function body of `gemm(a, sAi, sAk, b, c, M, K, N, bias, relu)`; with `fma`, each
 * accumulation is one relaxed-SIMD multiply-add instead of a multiply and an add.
 */
function gemmBody(fma: boolean): number[] {
  // Parameters 0..9, then locals.
  const [a, sAi, sAk, b, c, M, K, N, bias, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  let next = 10;
  const i = next++;
  const j = next++;
  const k = next++;
  const pb = next++;
  const aStep = next++; // 4·sAk: bytes between A(i, k) and A(i, k+1)
  const bStep = next++; // 4·N: bytes between rows of B (and of C)
  const pa = Array.from({ length: ROWS }, () => next++);
  const i32Count = next - 10;
  const acc = Array.from({ length: ROWS }, () => Array.from({ length: VECS }, () => next++));
  const bv = Array.from({ length: VECS }, () => next++);
  const s = next++;
  const v128Count = next - 10 - i32Count;

  const zero = simd(SIMD.const, ...new Array(16).fill(0));

  const tile = (rows: number, vecs: number): number[] => {
    const code: number[] = [];
    // pa[r] = a + 4·((i + r)·sAi); pb = b + 4·j
    for (let r = 0; r < rows; r++) {
      code.push(...get(a), ...get(i), ...(r > 0 ? [...i32(r), OP.i32Add] : []), ...get(sAi), OP.i32Mul, ...i32(2), OP.i32Shl, OP.i32Add, ...set(pa[r] as number));
    }
    code.push(...get(b), ...get(j), ...i32(2), OP.i32Shl, OP.i32Add, ...set(pb));
    for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) code.push(...zero, ...set(acc[r]![v]!));
    code.push(...get(K), ...set(k));
    code.push(OP.loop, OP.void);
    for (let v = 0; v < vecs; v++) code.push(...get(pb), ...simd(SIMD.load, ...memarg(4, 16 * v)), ...set(bv[v]!));
    for (let r = 0; r < rows; r++) {
      code.push(...get(pa[r]!), ...simd(SIMD.load32Splat, ...memarg(2, 0)), ...set(s));
      for (let v = 0; v < vecs; v++) {
        if (fma) code.push(...get(s), ...get(bv[v]!), ...get(acc[r]![v]!), ...simd(SIMD.f32x4RelaxedMadd), ...set(acc[r]![v]!));
        else code.push(...get(acc[r]![v]!), ...get(s), ...get(bv[v]!), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add), ...set(acc[r]![v]!));
      }
      code.push(...get(pa[r]!), ...get(aStep), OP.i32Add, ...set(pa[r]!));
    }
    code.push(...get(pb), ...get(bStep), OP.i32Add, ...set(pb));
    code.push(...get(k), ...i32(1), OP.i32Sub, OP.localTee, ...uleb(k), OP.brIf, 0, OP.end);
    // Epilogue: + bias, ReLU, store.
    code.push(...get(bias), OP.if, OP.void);
    for (let v = 0; v < vecs; v++) {
      code.push(...get(bias), ...get(j), ...i32(2), OP.i32Shl, OP.i32Add, ...simd(SIMD.load, ...memarg(4, 16 * v)), ...set(bv[v]!));
      for (let r = 0; r < rows; r++) code.push(...get(acc[r]![v]!), ...get(bv[v]!), ...simd(SIMD.f32x4Add), ...set(acc[r]![v]!));
    }
    code.push(OP.end);
    code.push(...get(relu), OP.if, OP.void);
    for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) code.push(...get(acc[r]![v]!), ...zero, ...simd(SIMD.f32x4Max), ...set(acc[r]![v]!));
    code.push(OP.end);
    for (let r = 0; r < rows; r++) {
      // address of C(i + r, j) = c + 4·((i + r)·N + j)
      code.push(...get(c), ...get(i), ...(r > 0 ? [...i32(r), OP.i32Add] : []), ...get(N), OP.i32Mul, ...get(j), OP.i32Add, ...i32(2), OP.i32Shl, OP.i32Add, ...set(pb));
      for (let v = 0; v < vecs; v++) code.push(...get(pb), ...get(acc[r]![v]!), ...simd(SIMD.store, ...memarg(4, 16 * v)));
    }
    return code;
  };

  const body: number[] = [];
  body.push(...get(sAk), ...i32(2), OP.i32Shl, ...set(aStep));
  body.push(...get(N), ...i32(2), OP.i32Shl, ...set(bStep));
  body.push(...i32(0), ...set(j));
  // Strips of 4·VECS columns while they fit, then of 4; in each, tiles of ROWS rows, then single rows.
  for (const vecs of [VECS, 1]) {
    body.push(OP.block, OP.void, OP.loop, OP.void);
    body.push(...get(j), ...i32(4 * vecs), OP.i32Add, ...get(N), OP.i32GtU, OP.brIf, 1);
    body.push(...i32(0), ...set(i));
    for (const rows of [ROWS, 1]) {
      body.push(OP.block, OP.void, OP.loop, OP.void);
      body.push(...get(i), ...i32(rows), OP.i32Add, ...get(M), OP.i32GtU, OP.brIf, 1);
      body.push(...tile(rows, vecs));
      body.push(...get(i), ...i32(rows), OP.i32Add, ...set(i), OP.br, 0, OP.end, OP.end);
    }
    body.push(...get(j), ...i32(4 * vecs), OP.i32Add, ...set(j), OP.br, 0, OP.end, OP.end);
  }
  body.push(OP.end);
  const locals = vec([[...uleb(i32Count), I32], [...uleb(v128Count), V128]]);
  const fn = [...locals, ...body];
  return [...uleb(fn.length), ...fn];
}

/**
 * The body of `adam(w, m, v, g, wOut, mOut, vOut, bytes, beta1, beta2, stepSize, epsilonHat)`:
 * the FusedAdam update (trainer/train/fused-adam.ts) four lanes at a time over `bytes` bytes
 * (a multiple of 16) of each array, in single precision:
 *   m' = β₁m + (1−β₁)g,  v' = β₂v + (1−β₂)g²,  w' = w − (α_t·m') / (√v' + ε̂)
 */
function adamBody(): number[] {
  const [w, m, v, g, wOut, mOut, vOut, bytes, beta1, beta2, stepSize, epsilonHat] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  let next = 12;
  const off = next++;
  const [vb1, vb1c, vb2, vb2c, vStep, vEps, gv, mv, vv] = Array.from({ length: 9 }, () => next++) as number[];
  const f32One = [0x43, 0x00, 0x00, 0x80, 0x3f]; // f32.const 1
  const f32Sub = 0x93;
  const splat = (code: number[], local: number) => [...code, ...simd(SIMD.f32x4Splat), ...set(local)];
  const at = (base: number) => [...get(base), ...get(off), OP.i32Add];
  const body: number[] = [
    ...splat(get(beta1), vb1!),
    ...splat([...f32One, ...get(beta1), f32Sub], vb1c!),
    ...splat(get(beta2), vb2!),
    ...splat([...f32One, ...get(beta2), f32Sub], vb2c!),
    ...splat(get(stepSize), vStep!),
    ...splat(get(epsilonHat), vEps!),
    ...i32(0), ...set(off),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(off), ...get(bytes), OP.i32GeU, OP.brIf, 1,
    ...at(g), ...simd(SIMD.load, ...memarg(4, 0)), ...set(gv!),
    // m' = β₁m + (1−β₁)g
    ...get(vb1!), ...at(m), ...simd(SIMD.load, ...memarg(4, 0)), ...simd(SIMD.f32x4Mul), ...get(vb1c!), ...get(gv!), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add), ...set(mv!),
    ...at(mOut), ...get(mv!), ...simd(SIMD.store, ...memarg(4, 0)),
    // v' = β₂v + (1−β₂)g·g
    ...get(vb2!), ...at(v), ...simd(SIMD.load, ...memarg(4, 0)), ...simd(SIMD.f32x4Mul), ...get(vb2c!), ...get(gv!), ...simd(SIMD.f32x4Mul), ...get(gv!), ...simd(SIMD.f32x4Mul), ...simd(SIMD.f32x4Add), ...set(vv!),
    ...at(vOut), ...get(vv!), ...simd(SIMD.store, ...memarg(4, 0)),
    // w' = w − (α_t·m') / (√v' + ε̂)
    ...at(wOut),
    ...at(w), ...simd(SIMD.load, ...memarg(4, 0)),
    ...get(vStep!), ...get(mv!), ...simd(SIMD.f32x4Mul),
    ...get(vv!), ...simd(SIMD.f32x4Sqrt), ...get(vEps!), ...simd(SIMD.f32x4Add),
    ...simd(SIMD.f32x4Div), ...simd(SIMD.f32x4Sub),
    ...simd(SIMD.store, ...memarg(4, 0)),
    ...get(off), ...i32(16), OP.i32Add, ...set(off), OP.br, 0, OP.end, OP.end,
    OP.end,
  ];
  const locals = vec([[...uleb(1), I32], [...uleb(9), V128]]);
  const fn = [...locals, ...body];
  return [...uleb(fn.length), ...fn];
}

/**
 * The body of `reluBiasGrad(dy, y, dz, db, total, rowBytes, relu)`: the backward pass of
 * ReLU(x·W + b) up to the product, over `total` bytes of the [rows × n] arrays with `rowBytes` =
 * 4n (n a multiple of 4): dz = dy where y > 0, else 0 (all of dy without ReLU), db = Σ_rows dz.
 */
function reluBiasGradBody(): number[] {
  const [dy, y, dz, db, total, rowBytes, relu] = [0, 1, 2, 3, 4, 5, 6];
  let next = 7;
  const off = next++;
  const col = next++;
  const [g, zero] = [next++, next++];
  const at = (base: number, o: number) => [...get(base), ...get(o), OP.i32Add];
  const body: number[] = [
    ...simd(SIMD.const, ...new Array(16).fill(0)), ...set(zero),
    // db = 0
    ...i32(0), ...set(col),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(col), ...get(rowBytes), OP.i32GeU, OP.brIf, 1,
    ...at(db, col), ...get(zero), ...simd(SIMD.store, ...memarg(4, 0)),
    ...get(col), ...i32(16), OP.i32Add, ...set(col), OP.br, 0, OP.end, OP.end,
    ...i32(0), ...set(off), ...i32(0), ...set(col),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(off), ...get(total), OP.i32GeU, OP.brIf, 1,
    ...at(dy, off), ...simd(SIMD.load, ...memarg(4, 0)), ...set(g),
    ...get(relu), OP.if, OP.void,
    ...get(g), ...at(y, off), ...simd(SIMD.load, ...memarg(4, 0)), ...get(zero), ...simd(SIMD.f32x4Gt), ...simd(SIMD.v128And), ...set(g),
    OP.end,
    ...at(dz, off), ...get(g), ...simd(SIMD.store, ...memarg(4, 0)),
    ...at(db, col), ...at(db, col), ...simd(SIMD.load, ...memarg(4, 0)), ...get(g), ...simd(SIMD.f32x4Add), ...simd(SIMD.store, ...memarg(4, 0)),
    ...get(off), ...i32(16), OP.i32Add, ...set(off),
    // col = (col + 16) mod rowBytes
    ...get(col), ...i32(16), OP.i32Add, OP.localTee, ...uleb(col), ...get(rowBytes), OP.i32GeU, OP.if, OP.void, ...i32(0), ...set(col), OP.end,
    OP.br, 0, OP.end, OP.end,
    OP.end,
  ];
  const locals = vec([[...uleb(2), I32], [...uleb(2), V128]]);
  const fn = [...locals, ...body];
  return [...uleb(fn.length), ...fn];
}

/** The module's bytes: imports env.memory, exports gemm, adam and reluBiasGrad. */
export function gemmModuleBytes(fma = false): Uint8Array {
  const type = section(1, vec([
    [0x60, ...vec(new Array(10).fill([I32])), ...vec([])],
    [0x60, ...vec([...new Array(8).fill([I32]), ...new Array(4).fill([F32])]), ...vec([])],
    [0x60, ...vec(new Array(7).fill([I32])), ...vec([])],
  ]));
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]]));
  const functions = section(3, vec([[0], [1], [2]]));
  const exports = section(7, vec([[...name('gemm'), 0x00, 0], [...name('adam'), 0x00, 1], [...name('reluBiasGrad'), 0x00, 2]]));
  const code = section(10, vec([gemmBody(fma), adamBody(), reluBiasGradBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...functions, ...exports, ...code]);
}

/** The WebAssembly API as far as it is used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A module whose one function returns f32x4.relaxed_madd(0, 0, 0): valid only with relaxed SIMD. */
const RELAXED_PROBE = (() => {
  const zero = simd(SIMD.const, ...new Array(16).fill(0));
  const body = [0, ...zero, ...zero, ...zero, ...simd(SIMD.f32x4RelaxedMadd), OP.end];
  const type = section(1, vec([[0x60, ...vec([]), ...vec([[V128]])]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...section(3, vec([[0]])), ...section(10, vec([[...uleb(body.length), ...body]]))]);
})();

let relaxed: boolean | undefined;

/**
 * Whether relaxed SIMD (fused multiply-add) can be used. Node 22 ships it; Node 20's V8 has it
 * behind --experimental-wasm-relaxed-simd, which is turned on here at run time when needed (it
 * only adds instructions to what WebAssembly accepts). Without it the kernel multiplies and adds.
 */
export function relaxedSimd(): boolean {
  if (relaxed !== undefined) return relaxed;
  const validate = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly.validate;
  relaxed = validate(RELAXED_PROBE);
  if (!relaxed && process.env.KUBETUNE_WASM_RELAXED_SIMD !== '0') {
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      relaxed = validate(RELAXED_PROBE);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

export type GemmFn = (a: number, sAi: number, sAk: number, b: number, c: number, M: number, K: number, N: number, bias: number, relu: number) => void;

export type AdamFn = (w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, bytes: number, beta1: number, beta2: number, stepSize: number, epsilonHat: number) => void;

export type ReluBiasGradFn = (dy: number, y: number, dz: number, db: number, totalBytes: number, rowBytes: number, relu: number) => void;

interface Kernels {
  gemm: GemmFn;
  adam: AdamFn;
  reluBiasGrad: ReluBiasGradFn;
}

const instances = new WeakMap<WasmMemory, Kernels>();

export function kernelsFor(memory: WasmMemory): Kernels {
  let fns = instances.get(memory);
  if (fns === undefined) {
    const module = new wasmApi.Module(gemmModuleBytes(relaxedSimd()));
    const instance = new wasmApi.Instance(module, { env: { memory } });
    fns = { gemm: instance.exports.gemm as GemmFn, adam: instance.exports.adam as AdamFn, reluBiasGrad: instance.exports.reluBiasGrad as ReluBiasGradFn };
    instances.set(memory, fns);
  }
  return fns;
}

/** The gemm function bound to `memory` (compiled once per memory). */
export function gemmFor(memory: WasmMemory): GemmFn {
  return kernelsFor(memory).gemm;
}

/** The adam function bound to `memory`. */
export function adamFor(memory: WasmMemory): AdamFn {
  return kernelsFor(memory).adam;
}
