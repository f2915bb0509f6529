import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { positionAt } from './lines';
import type { OffsetComment } from './parsers';
import type { FunctionMetrics } from './types';

type Node = TSESTree.Node;

interface Scope {
  complexity: number;
  depth: number;
  readonly report?: { name: string; line: number; column: number };
}

export interface AstMetrics {
  readonly functions: FunctionMetrics[];
  readonly maxNesting: number;
  readonly imports: string[];
  /** The nodes that are one token spanning several lines (see countLines). */
  readonly multiline: readonly Node[];
}

/** The file as the parser saw it: positions from offsets, and where an arrow's `=>` is, found without tokens. */
export interface SourceText {
  readonly text: string;
  readonly comments: readonly OffsetComment[];
  /** Line start offsets (lineStarts). */
  readonly starts: readonly number[];
}

const LOGICAL_ASSIGNMENT = new Set(['&&=', '||=', '??=']);

/** Statements that open a nesting level, as ESLint's `max-depth` rule counts them. */
const NESTING = new Set([
  'IfStatement',
  'SwitchStatement',
  'TryStatement',
  'DoWhileStatement',
  'WhileStatement',
  'WithStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
]);

/**
 * One pass over the tree collecting per-function complexity, nesting depth and
 * imports. Complexity follows ESLint's `complexity` rule (classic variant) node
 * for node: every function, class field initializer and static block is its own
 * scope starting at 1, and each branch point adds 1 to the innermost scope.
 */
export function measureAst(program: TSESTree.Program, source: SourceText): AstMetrics {
  const functions: FunctionMetrics[] = [];
  const multiline: Node[] = [];
  const imports = new Set<string>();
  let maxNesting = 0;
  const scopes: Scope[] = [{ complexity: 1, depth: 0 }];
  const top = (): Scope => scopes[scopes.length - 1] as Scope;

  const at = (offset: number): TSESTree.Position => positionAt(source.starts, offset);
  const visit = (node: Node, parent: Node | undefined): void => {
    let opened = 0;
    if (parent?.type === 'PropertyDefinition' && parent.value === node) {
      scopes.push({ complexity: 1, depth: 0, report: { name: '<class field initializer>', ...position(at(node.range[0])) } });
      opened++;
    }
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      scopes.push({ complexity: 1, depth: 0, report: { name: functionName(node, parent), ...position(headStart(node, parent, source)) } });
      opened++;
    } else if (node.type === 'StaticBlock') {
      scopes.push({ complexity: 1, depth: 0, report: { name: '<static block>', ...position(at(node.range[0])) } });
      opened++;
    }

    if (addsComplexity(node)) top().complexity++;
    collectImport(node, imports);
    if ((node.type === 'TemplateElement' || node.type === 'JSXText' || (node.type === 'Literal' && typeof node.value === 'string')) && at(node.range[0]).line !== at(node.range[1]).line) multiline.push(node);

    // `else if` continues the chain rather than nesting deeper, as in `max-depth`.
    const nests = NESTING.has(node.type) && !(node.type === 'IfStatement' && parent?.type === 'IfStatement');
    if (nests) {
      top().depth++;
      maxNesting = Math.max(maxNesting, top().depth);
    }

    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item, node);
      } else if (isNode(child)) {
        visit(child, node);
      }
    }

    if (nests) top().depth--;
    for (; opened > 0; opened--) {
      const scope = scopes.pop() as Scope;
      if (scope.report) functions.push({ ...scope.report, complexity: scope.complexity });
    }
  };

  visit(program, undefined);
  functions.sort((a, b) => a.line - b.line || a.column - b.column);
  return { functions, maxNesting, imports: [...imports], multiline };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function addsComplexity(node: Node): boolean {
  switch (node.type) {
    case 'CatchClause':
    case 'ConditionalExpression':
    case 'LogicalExpression':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'AssignmentPattern':
      return true;
    case 'SwitchCase':
      return node.test !== null;
    case 'AssignmentExpression':
      return LOGICAL_ASSIGNMENT.has(node.operator);
    case 'MemberExpression':
    case 'CallExpression':
      return node.optional;
    default:
      return false;
  }
}

function collectImport(node: Node, imports: Set<string>): void {
  switch (node.type) {
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
      imports.add(node.source.value);
      return;
    case 'ExportNamedDeclaration':
      if (node.source) imports.add(node.source.value);
      return;
    case 'ImportExpression':
      if (node.source.type === 'Literal' && typeof node.source.value === 'string') imports.add(node.source.value);
      return;
    case 'CallExpression': {
      const [first] = node.arguments;
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && first?.type === 'Literal' && typeof first.value === 'string') {
        imports.add(first.value);
      }
      return;
    }
    case 'TSExternalModuleReference':
      if (node.expression.type === 'Literal' && typeof node.expression.value === 'string') imports.add(node.expression.value);
      return;
    default:
      return;
  }
}

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** Where ESLint reports a function: at its key for methods and properties, at `=>` for arrows, else at its start. */
function headStart(node: FunctionNode, parent: Node | undefined, source: SourceText): TSESTree.Position {
  if (parent && (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition')) {
    return positionAt(source.starts, parent.range[0]);
  }
  if (node.type === 'ArrowFunctionExpression') {
    const arrow = arrowBefore(source, node.body.range[0]);
    if (arrow !== undefined) return positionAt(source.starts, arrow);
  }
  return positionAt(source.starts, node.range[0]);
}

/**
 * The offset of an arrow's `=>`, the last one before its body: between the two there is only white space,
 * parentheses and comments, so it is the last `=>` outside a comment.
 */
function arrowBefore({ text, comments }: SourceText, offset: number): number | undefined {
  for (let at = text.lastIndexOf('=>', offset - 2); at >= 0; at = text.lastIndexOf('=>', at - 1)) {
    const inside = commentAt(comments, at);
    if (!inside) return at;
    at = inside.start;
  }
  return undefined;
}

/** The comment that contains `offset`, if any (comments are in order and do not overlap). */
function commentAt(comments: readonly OffsetComment[], offset: number): OffsetComment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const comment = comments[mid] as OffsetComment;
    if (offset < comment.start) hi = mid - 1;
    else if (offset >= comment.end) lo = mid + 1;
    else return comment;
  }
  return undefined;
}

function position(pos: TSESTree.Position): { line: number; column: number } {
  return { line: pos.line, column: pos.column + 1 };
}

function keyName(key: Node, computed: boolean): string | undefined {
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal') return String(key.value);
  return undefined;
}

/** A readable name: its own, else the key, variable or property it is assigned to. */
function functionName(node: FunctionNode, parent: Node | undefined): string {
  if (node.id) return node.id.name;
  if (parent) {
    switch (parent.type) {
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
        return keyName(parent.key, parent.computed) ?? '<computed>';
      case 'VariableDeclarator':
        if (parent.id.type === 'Identifier') return parent.id.name;
        break;
      case 'AssignmentExpression':
        if (parent.left.type === 'Identifier') return parent.left.name;
        if (parent.left.type === 'MemberExpression') return keyName(parent.left.property, parent.left.computed) ?? '<anonymous>';
        break;
      default:
        break;
    }
  }
  return '<anonymous>';
}
