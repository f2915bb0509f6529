import * as path from 'node:path';
import type { CustomTask } from './definition';

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
  readonly code?: string;
}

/**
 * Line formats of common tools, as named groups. The names follow VS Code's
 * problem matchers of the same name; VS Code does not expose its matchers to
 * extensions, so the patterns are written out here.
 */
const NAMED: Readonly<Record<string, string>> = {
  // file:line:column: severity: message — gcc, clang, shellcheck -f gcc, many others.
  $gcc: String.raw`^(?<file>.+?):(?<line>\d+):(?<column>\d+):\s+(?:fatal\s+)?(?<severity>error|warning|info|note):\s+(?<message>.*)$`,
  // file(line,column): error TS1234: message
  $tsc: String.raw`^(?<file>.+?)\((?<line>\d+),(?<column>\d+)\):\s+(?<severity>error|warning|info)\s+(?<code>TS\d+)\s*:\s*(?<message>.*)$`,
  // file: line N, col M, Error - message (rule)
  '$eslint-compact': String.raw`^(?<file>.+?):\s+line\s+(?<line>\d+),\s+col\s+(?<column>\d+),\s+(?<severity>Error|Warning|Info)\s+-\s+(?<message>.+?)(?:\s+\((?<code>[^)]+)\))?$`,
  // file:line:column: message [severity] — stylelint's and others' "unix" formatter.
  $unix: String.raw`^(?<file>.+?):(?<line>\d+):(?<column>\d+):\s+(?<message>.*?)(?:\s+\((?<code>[\w/@.-]+)\))?\s+\[(?<severity>error|warning|info)\]$`,
};

export interface CompiledMatcher {
  /** Problems in `output`, with file paths resolved against `cwd`. */
  match(output: string, cwd: string): Problem[];
}

/** No matcher reads no problems: the exit code alone decides then. */
export function compileMatcher(matcher: CustomTask['problemMatcher'] | undefined): CompiledMatcher {
  if (matcher === undefined) return { match: () => [] };
  const source = typeof matcher === 'string' ? NAMED[matcher] : matcher.regexp;
  if (!source) throw new Error(`Unknown problem matcher ${String(matcher)}`);
  const pattern = new RegExp(source);
  const fallback: Severity = typeof matcher === 'string' ? 'error' : (matcher.severity ?? 'error');
  return {
    match(output, cwd) {
      const problems: Problem[] = [];
      for (const raw of output.split(/\r?\n/)) {
        const groups = pattern.exec(raw)?.groups;
        if (!groups?.file || groups.message === undefined) continue;
        problems.push({
          file: path.resolve(cwd, groups.file.trim()),
          line: positive(groups.line),
          column: positive(groups.column),
          severity: severityOf(groups.severity, fallback),
          message: groups.message.trim(),
          ...(groups.code ? { code: groups.code } : {}),
        });
      }
      return problems;
    },
  };
}

function positive(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function severityOf(value: string | undefined, fallback: Severity): Severity {
  switch (value?.toLowerCase()) {
    case 'error':
    case 'fatal':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
    case 'note':
    case 'information':
      return 'info';
    default:
      return fallback;
  }
}
