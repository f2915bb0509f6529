export interface LineCounts {
  readonly total: number;
  readonly code: number;
  readonly comment: number;
  readonly blank: number;
}

export interface FunctionMetrics {
  readonly name: string;
  /** 1-based line and column where ESLint's `complexity` rule reports the function. */
  readonly line: number;
  readonly column: number;
  /** Cyclomatic complexity by ESLint's `complexity` rule (classic variant). */
  readonly complexity: number;
}

export interface FileAnalysis {
  readonly lines: LineCounts;
  readonly functions: readonly FunctionMetrics[];
  readonly maxNesting: number;
  readonly imports: readonly string[];
  readonly todos: number;
}

