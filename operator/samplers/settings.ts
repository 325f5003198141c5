/**
 * Reading a sampler's `algorithm.settings` object with every problem reported at once, each as a
 * `SpecError` issue on `<basePath>/<field>` (`/algorithm/settings/<field>` by default, the
 * convention of every sampler's settings parser) with code `bad_setting` or `unknown_setting`
 * and a message that quotes the bad value (style.md, "Errors
 * name the field and the value"). Unknown fields are errors too: a typo such as `popSize` would
 * otherwise be silently ignored. Every sampler with settings reads them through one of these.
 */
import { type Issue, joinPath, SpecError } from '../api/issues.js';

export class SettingsReader {
  private readonly issues: Issue[] = [];
  private readonly known = new Set<string>();

  constructor(
    private readonly sampler: string,
    private readonly settings: Record<string, unknown>,
    private readonly basePath = '/algorithm/settings',
  ) {}

  /**
   * A finite number in `[min, max]` (each end open when `open` says so; `max` may be Infinity),
   * or `undefined` when absent.
   */
  number(field: string, min: number, max: number, opts: { integer?: boolean; openMin?: boolean; openMax?: boolean } = {}): number | undefined {
    this.known.add(field);
    const value = this.settings[field];
    if (value === undefined) return undefined;
    const lo = opts.openMin ? '(' : '[';
    const hi = opts.openMax ? ')' : ']';
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!opts.integer || Number.isInteger(value)) &&
      (opts.openMin ? value > min : value >= min) &&
      (opts.openMax ? value < max : value <= max);
    if (!ok) {
      const what = opts.integer ? 'an integer' : 'a number';
      const range = max === Infinity ? `${opts.openMin ? '>' : '>='} ${min}` : `in ${lo}${min}, ${max}${hi}`;
      this.fail(field, `${this.sampler} setting ${field} must be ${what} ${range}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value as number;
  }

  /** true or false, or `undefined` when absent. */
  boolean(field: string): boolean | undefined {
    this.known.add(field);
    const value = this.settings[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.fail(field, `${this.sampler} setting ${field} must be true or false, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  /** One of `choices`, or `undefined` when absent. */
  choice<T extends string>(field: string, choices: readonly T[]): T | undefined {
    this.known.add(field);
    const value = this.settings[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      this.fail(field, `${this.sampler} setting ${field} must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value as T;
  }

  /** Records a bad value of `field` (also for rules across fields). */
  fail(field: string, message: string): void {
    this.issues.push({ code: 'bad_setting', path: joinPath(this.basePath, field), message });
  }

  /** Throws a `SpecError` listing every problem, unknown fields included; returns when all is well. */
  done(): void {
    for (const field of Object.keys(this.settings)) {
      if (!this.known.has(field)) {
        this.issues.push({
          code: 'unknown_setting',
          path: joinPath(this.basePath, field),
          message: `${this.sampler} has no setting ${JSON.stringify(field)}`,
          hint: `known settings: ${[...this.known].join(', ')}`,
        });
      }
    }
    if (this.issues.length > 0) throw new SpecError(this.issues);
  }
}
