import * as os from 'node:os';
import * as vscode from 'vscode';
import type { IsolationChoice } from '../core/worker-tuning';

/** The extension's settings, read afresh for every run so that changes apply without a reload. */
export interface Settings {
  readonly workers: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly useGitignore: boolean;
  readonly batchBytes: number;
  readonly fileTimeoutMs: number;
  readonly maxFileSize: number;
  readonly lintConfigFile: string;
  /** ESLint's own per-rule times, summed in the panel's slowest rules. */
  readonly lintRuleTimings: boolean;
  readonly codemod: string;
  readonly transformReview: 'refactorPreview' | 'panel' | 'apply';
  readonly hotspots: number;
  readonly cache: boolean;
  /** A Redis URL: runs go through the queue there (src/queue/). Empty: on this machine. */
  readonly queueUrl: string;
  readonly queueTimeoutMs: number;
  /** Thread or child process, by the `isolation.*` setting a kind names (codemods have their own). */
  isolation(setting: string, fallback: IsolationChoice): IsolationChoice;
}

export const SECTION = 'parallelTasks';

/** `0` means automatic: one core is left for the editor itself. */
export function effectiveWorkers(setting: number): number {
  return setting > 0 ? Math.floor(setting) : Math.max(1, os.availableParallelism() - 1);
}

export function readSettings(scope?: vscode.Uri): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    workers: effectiveWorkers(config.get<number>('maxWorkers', 0)),
    include: config.get<string[]>('include', []),
    exclude: config.get<string[]>('exclude', []),
    useGitignore: config.get<boolean>('useGitignore', true),
    batchBytes: config.get<number>('batchBytes', 0),
    fileTimeoutMs: Math.max(1, config.get<number>('fileTimeoutSeconds', 60)) * 1000,
    maxFileSize: config.get<number>('maxFileSizeBytes', 2 * 1024 * 1024),
    lintConfigFile: config.get<string>('lint.configFile', ''),
    lintRuleTimings: config.get<boolean>('lint.ruleTimings', false) === true,
    codemod: config.get<string>('transform.codemod', ''),
    transformReview: config.get<'refactorPreview' | 'panel' | 'apply'>('transform.review', 'refactorPreview'),
    hotspots: config.get<number>('analyze.hotspots', 10),
    cache: config.get<boolean>('cache', true),
    queueUrl: config.get<string>('queue.url', '').trim(),
    queueTimeoutMs: Math.max(1, config.get<number>('queue.timeoutSeconds', 60)) * 1000,
    isolation: (setting, fallback) => isolation(config.get(`isolation.${setting}`), fallback),
  };
}

function isolation(value: unknown, fallback: IsolationChoice): IsolationChoice {
  // `auto` only where the setting offers it: codemods (the user's own code) default to processes and list thread|process.
  return value === 'thread' || value === 'process' || (value === 'auto' && fallback === 'auto') ? value : fallback;
}
