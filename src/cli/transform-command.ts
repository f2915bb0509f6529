import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FileRecord } from '../core/run-state';
import { UsageError } from '../core/errors';
import { removeStaleTempFiles } from '../core/temp-files';
import { checkUnchanged, unifiedDiff, writeIfUnchanged } from '../tasks/transform/apply';
import type { TransformOptions, TransformValue } from '../tasks/transform/types';
import { describeTiming } from './timing';
import { runCliJob, type CommonOptions } from './job';
import { distinctTools } from '../tasks/tool-info';
import { assertNotFailed, describeProblems, describeRun, describeTools, EXIT_CANCELLED, relative, skippedFiles } from './summary';

export interface TransformCommandOptions extends CommonOptions {
  readonly format: string;
  readonly prettier?: boolean;
  readonly eslintFix?: boolean;
  readonly codemod?: string;
  readonly codemodOption?: string[];
  readonly replace?: string;
  readonly with?: string;
  readonly flags: string;
  readonly config?: string;
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly write?: boolean;
}

interface FileReport {
  path: string;
  changed: boolean;
  error?: string;
  /** ESLint autofix: errors still in the file after fixing. */
  remainingErrors?: number;
}

/**
 * `--codemod-option key=value`, repeatable: the options object a jscodeshift
 * transform gets as its third argument. Values stay strings, as jscodeshift's
 * own command line passes them.
 */
export function parseCodemodOptions(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (!/^[A-Za-z_$][\w$-]*$/.test(key)) throw new UsageError(`--codemod-option takes key=value with a plain key, got "${pair}"`);
    // Object.defineProperty: a key such as __proto__ is an own option, never the prototype.
    Object.defineProperty(options, key, { value: eq < 0 ? 'true' : pair.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return options;
}

export function transformOptionsFrom(options: TransformCommandOptions): TransformOptions {
  const chosen = [options.prettier, options.eslintFix, options.codemod !== undefined, options.replace !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('choose exactly one of --prettier, --eslint-fix, --codemod FILE, --replace PATTERN --with TEXT');
  if (options.prettier) return { mode: 'prettier' };
  if (options.eslintFix) {
    if (options.config && !existsSync(path.resolve(options.config))) throw new UsageError(`--config file not found: ${options.config}`);
    return { mode: 'eslint-fix', ...(options.config ? { configFile: path.resolve(options.config) } : {}) };
  }
  if (options.codemod !== undefined) {
    const codemod = path.resolve(options.codemod);
    if (!existsSync(codemod)) throw new UsageError(`--codemod file not found: ${options.codemod}`);
    const codemodOptions = parseCodemodOptions(options.codemodOption ?? []);
    return { mode: 'codemod', codemod, ...(Object.keys(codemodOptions).length > 0 ? { codemodOptions } : {}) };
  }
  if (options.codemodOption?.length) throw new UsageError('--codemod-option goes with --codemod');
  if (options.with === undefined) throw new UsageError('--replace needs --with TEXT');
  try {
    new RegExp(options.replace as string, options.flags);
  } catch (error) {
    throw new UsageError(`--replace is not a valid regular expression: ${(error as Error).message}`);
  }
  return { mode: 'replace', pattern: options.replace as string, flags: options.flags, replacement: options.with };
}

export async function transformCommand(paths: string[], options: TransformCommandOptions): Promise<number> {
  if (options.format !== 'pretty' && options.format !== 'json') throw new UsageError('--format must be pretty or json for transform');
  if ([options.check, options.diff, options.write].filter(Boolean).length > 1) throw new UsageError('use only one of --check, --diff, --write');
  const transform = transformOptionsFrom(options);
  // Search and replace from the command line goes over every text file, as sed would; in the editor, over the kind's own files.
  const common = transform.mode === 'replace' && !options.include?.length ? { ...options, include: ['**/*'] } : options;
  const result = await runCliJob<TransformValue>({ kind: 'transform', paths, options: transform }, common);
  assertNotFailed(result);

  const records = result.state.results();
  if (options.write) {
    // Leftovers of a run killed while writing in the folders of this run (also those with nothing to change
    // now: a leftover link aside would keep its file hard-linked); never reported, only tidied.
    await removeStaleTempFiles(new Set(records.map((r) => path.dirname(r.path))));
  }
  const { reports, out, written } = await actOnResults(records, options);
  const changed = reports.filter((r) => r.changed).length;
  const failed = reports.filter((r) => r.error !== undefined);
  const unfixed = reports.filter((r) => r.remainingErrors);
  const tools = distinctTools(records.map((r) => (r.outcome?.status === 'ok' ? r.outcome.value.tool : undefined)));
  if (options.format === 'json') {
    const summary = {
      files: reports.length,
      changed,
      unchanged: reports.length - changed - failed.filter((r) => !r.changed).length,
      failed: failed.length,
      skipped: records.filter((r) => r.status === 'skipped').length,
      cancelled: records.filter((r) => r.status === 'cancelled').length,
      ...(options.write ? { written } : {}),
      ...(transform.mode === 'eslint-fix' ? { remainingErrors: unfixed.reduce((n, r) => n + (r.remainingErrors ?? 0), 0) } : {}),
    };
    process.stdout.write(`${JSON.stringify({ files: reports, skipped: skippedFiles(records), tools, summary }, null, 2)}\n`);
  } else {
    if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
    for (const line of describeProblems(records, true)) process.stderr.write(`${line}\n`);
    for (const r of failed) if (r.changed) process.stderr.write(`error: ${relative(r.path)}: ${r.error}\n`);
    for (const r of unfixed) process.stderr.write(`unfixed: ${relative(r.path)}: ${r.remainingErrors} error${r.remainingErrors === 1 ? '' : 's'} could not be fixed (run lint to see them)\n`);
    const verb = options.check || options.diff ? 'would change' : 'changed';
    process.stderr.write(`${describeRun('Transformed', result)}; ${changed} ${verb}${options.write ? `, ${written} written` : ''}\n`);
    const used = describeTools(tools);
    if (used) process.stderr.write(`${used}\n`);
    if (!options.write && !options.diff && !options.check && changed > 0) process.stderr.write('Nothing was written: use --write to apply, --diff to review.\n');
  }
  if (options.timing) for (const line of describeTiming('transform', result)) process.stderr.write(`${line}\n`);
  if (result.outcome.phase === 'cancelled') return EXIT_CANCELLED;
  // Like `eslint --fix`: errors that remain after fixing fail the run.
  if (failed.length > 0 || unfixed.length > 0) return 1;
  return options.check && changed > 0 ? 1 : 0;
}

/** Each file's report, and what to print for it: written (`--write`), its diff (`--diff`), or that it would change. */
async function actOnResults(records: readonly FileRecord<TransformValue>[], options: TransformCommandOptions): Promise<{ reports: FileReport[]; out: string[]; written: number }> {
  const reports: FileReport[] = [];
  const out: string[] = [];
  let written = 0;
  for (const record of records) {
    const outcome = record.outcome;
    if (outcome?.status === 'error') {
      reports.push({ path: record.path, changed: false, error: outcome.message });
      continue;
    }
    if (outcome?.status !== 'ok') continue;
    const value = outcome.value;
    const report: FileReport = { path: record.path, changed: value.changed, ...(value.remainingErrors ? { remainingErrors: value.remainingErrors } : {}) };
    reports.push(report);
    if (!value.changed || value.output === undefined) continue;
    if (options.write) {
      const applied = await writeIfUnchanged(record.path, value.hash, value.output);
      if (applied.ok) {
        written++;
        out.push(`wrote ${relative(record.path)}`);
      } else {
        report.error = applied.reason;
      }
    } else if (options.diff) {
      const current = await checkUnchanged(record.path, value.hash);
      if (current.ok) out.push(unifiedDiff(relative(record.path), current.before, value.output));
      else report.error = current.reason;
    } else {
      out.push(`${options.check ? 'would change' : 'changed'} ${relative(record.path)}`);
    }
  }

  return { reports, out, written };
}
