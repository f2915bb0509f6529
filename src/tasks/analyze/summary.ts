import type { FileAnalysis, LineCounts } from './types';

export interface AnalyzedFile extends FileAnalysis {
  readonly path: string;
}

export interface Hotspot {
  readonly path: string;
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly complexity: number;
}

export interface AnalyzeTotals {
  readonly files: number;
  readonly lines: LineCounts;
  readonly functions: number;
  readonly maxComplexity: number;
  readonly averageComplexity: number;
  readonly maxNesting: number;
  readonly todos: number;
  /** The most complex functions of the run, most complex first. */
  readonly hotspots: readonly Hotspot[];
}

export function summarizeAnalysis(files: readonly AnalyzedFile[], hotspotCount = 10): AnalyzeTotals {
  const lines = { total: 0, code: 0, comment: 0, blank: 0 };
  const all: Hotspot[] = [];
  let complexitySum = 0;
  let maxNesting = 0;
  let todos = 0;
  for (const file of files) {
    lines.total += file.lines.total;
    lines.code += file.lines.code;
    lines.comment += file.lines.comment;
    lines.blank += file.lines.blank;
    maxNesting = Math.max(maxNesting, file.maxNesting);
    todos += file.todos;
    for (const fn of file.functions) {
      complexitySum += fn.complexity;
      all.push({ path: file.path, ...fn });
    }
  }
  all.sort((a, b) => b.complexity - a.complexity || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return {
    files: files.length,
    lines,
    functions: all.length,
    maxComplexity: all[0]?.complexity ?? 0,
    averageComplexity: all.length > 0 ? Math.round((complexitySum / all.length) * 100) / 100 : 0,
    maxNesting,
    todos,
    hotspots: all.slice(0, hotspotCount),
  };
}
