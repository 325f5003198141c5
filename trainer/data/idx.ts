/**
 * IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed: a magic number whose
 * third byte is the element type and fourth the number of dimensions, big-endian 32-bit sizes,
 * then the data. Only unsigned bytes (type 0x08) occur in these datasets, so only they are read.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { datasetError } from '../errors.js';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export function readIdxFile(path: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw datasetError(`cannot read IDX file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw datasetError(`IDX file ${path} looks gzip-compressed but does not decompress: ${(err as Error).message}`);
    }
  }
  return parseIdx(bytes, path);
}

export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw datasetError(`${name} is not an IDX file (bad magic number)`);
  if (bytes[2] !== 0x08) throw datasetError(`${name}: IDX element type 0x${(bytes[2] ?? 0).toString(16)} is not supported (only unsigned bytes)`);
  const dims = bytes[3] ?? 0;
  if (dims < 1 || bytes.length < 4 + 4 * dims) throw datasetError(`${name}: truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const size = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims;
  if (bytes.length !== start + size) {
    throw datasetError(`${name}: IDX header promises ${size} values but the file holds ${bytes.length - start}`);
  }
  return { shape, data: bytes.subarray(start, start + size) };
}
