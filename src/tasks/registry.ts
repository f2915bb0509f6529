import { UnknownKindError, type AnyTaskKind } from '../core/task-api';
import { analyzeKind } from './analyze/kind';
import { customKind } from './custom/kind';
import { lintKind } from './lint/kind';
import { transformKind } from './transform/kind';

/** Every task kind, by name: the one list the CLI, the editor, the panel and the worker take kinds from. */
const builtIn = [lintKind, transformKind, analyzeKind, customKind] as const;

export type BuiltInKindName = (typeof builtIn)[number]['name'];

const kinds = new Map<string, AnyTaskKind>(builtIn.map((kind) => [kind.name, kind]));

/** The kind of that name; an unknown name is an error, never a fall-through to some other kind. */
export function taskKind(name: string): AnyTaskKind {
  const kind = kinds.get(name);
  if (!kind) throw new UnknownKindError(name, [...kinds.keys()]);
  return kind;
}

export function taskKindNames(): readonly string[] {
  return [...kinds.keys()];
}

/**
 * Adds a kind beside the built-in ones, until the returned function is
 * called. For kinds that live outside src/ (the tests' fixture kind proves
 * that a new kind needs nothing but its folder and this one call).
 */
export function registerTaskKind(kind: AnyTaskKind): () => void {
  if (kinds.has(kind.name)) throw new Error(`a task kind named "${kind.name}" is already registered`);
  kinds.set(kind.name, kind);
  return () => kinds.delete(kind.name);
}
