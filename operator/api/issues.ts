/**
 * Validation issues, shaped after zod's: every problem found is collected (never only the
 * first), each with a stable code, a JSON-pointer path into the document and a message. Wording
 * is kept apart from detection: `formatIssues` renders the list for people.
 */

export interface Issue {
  /** Stable machine-readable code, e.g. `empty_range`, `unknown_parent`. */
  code: string;
  /** JSON pointer to the offending field, e.g. `/spec/parameters/2/min`. */
  path: string;
  /** One sentence that names the field and the rule it breaks. */
  message: string;
  /** Optional advice on how to fix it. */
  hint?: string;
}

/** Thrown when a document has one or more issues; carries all of them. */
export class SpecError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(formatIssues(issues));
    this.name = 'SpecError';
  }
}

/** Appends a JSON-pointer segment, escaping `~` and `/` as RFC 6901 requires. */
export function joinPath(base: string, ...segments: (string | number)[]): string {
  return segments.reduce<string>((path, seg) => `${path}/${String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`, base);
}

export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => `${issue.path || '/'}: ${issue.message}${issue.hint ? ` (hint: ${issue.hint})` : ''}`)
    .join('\n');
}
