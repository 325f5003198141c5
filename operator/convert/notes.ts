/**
 * What a converter could not carry over, said once per source field. The converters are pure:
 * they return the study and these notes, and the CLI decides how to print them.
 */
export interface ConvertNote {
  /** JSON pointer into the source document, e.g. `/spec/algorithm/algorithmSettings/acq_func`. */
  path: string;
  message: string;
}

/** Collects notes while a converter walks its source. */
export class Notes {
  readonly list: ConvertNote[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Katib writes numbers as strings ("0.01"); anything else that reads as a finite number is one. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Escapes one JSON-pointer segment (RFC 6901). */
export function seg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}
