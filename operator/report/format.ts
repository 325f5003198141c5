/**
 * How values read in the report's text: parameter values, objective values, and HTML escaping.
 * The CSV/XLSX exports keep full precision and do not use the number formatting here.
 */
import type { ParamValue } from '../space/types.js';

/** A number with 4 significant digits, without trailing zeros; exponent form when very small/large. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** A parameter value for people: numbers shortened, subsets as `[a, b]`. */
export function formatParam(v: ParamValue | undefined): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return `[${v.map((x) => formatParam(x)).join(', ')}]`;
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** A parameter value for exports: full precision, subsets as a JSON array (unambiguous). */
export function exportParam(v: ParamValue | undefined): string | number | boolean | null {
  if (v === undefined) return null;
  if (Array.isArray(v)) return JSON.stringify(v);
  return v;
}

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u00xx`
 * escapes, so no string can close the script element or open a comment, and U+2028/U+2029 are
 * escaped for old parsers that treat them as line ends. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
