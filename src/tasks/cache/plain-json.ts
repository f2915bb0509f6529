/**
 * A JSON text for a value that may hold what JSON.stringify cannot or should
 * not print: functions (a plugin's rules, a parser) become their names, an
 * object that names itself with `meta: { name, version }` (a plugin, a parser,
 * as ESLint names them) becomes that name, circular references a marker, and a
 * `toJSON` that refuses (ESLint's, for a parser without `meta`) is not called.
 * Two values with the same text configure a tool alike as far as data can
 * tell; code is keyed elsewhere (lock file, hashes of local imports).
 */
export function plainJson(value: unknown): string {
  return JSON.stringify(toPlain(value, new Set())) ?? 'undefined';
}

function metaName(item: object): string | undefined {
  const meta = (item as { meta?: { name?: unknown; version?: unknown } }).meta;
  return typeof meta === 'object' && meta !== null && typeof meta.name === 'string' ? `${meta.name}@${String(meta.version)}` : undefined;
}

function toPlain(item: unknown, ancestors: Set<object>): unknown {
  switch (typeof item) {
    case 'function':
      return `[function ${item.name}]`;
    case 'bigint':
      return `${item}n`;
    case 'symbol':
      return item.toString();
    case 'object':
      break;
    default:
      return item;
  }
  if (item === null) return null;
  if (ancestors.has(item)) return '[circular]';
  const named = metaName(item);
  if (named) return named;
  ancestors.add(item);
  try {
    if (Array.isArray(item)) return item.map((element) => toPlain(element, ancestors));
    if (item instanceof RegExp) return item.toString();
    if (item instanceof Map) return [...item].map((entry) => toPlain(entry, ancestors));
    if (item instanceof Set) return [...item].map((element) => toPlain(element, ancestors));
    return Object.fromEntries(Object.keys(item).map((key) => [key, toPlain((item as Record<string, unknown>)[key], ancestors)]));
  } finally {
    ancestors.delete(item);
  }
}
