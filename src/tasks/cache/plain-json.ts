/**
 * A JSON text for a value that may hold what JSON.stringify cannot: functions
 * (a plugin's rules, a parser) become their names, repeated or circular
 * objects a marker, bigints their digits. Two values with the same text
 * configure a tool alike, as far as data can tell; code is keyed elsewhere
 * (lock file, local import hashes).
 */
export function plainJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'function') return `[function ${item.name}]`;
    if (typeof item === 'bigint') return `${item}n`;
    if (typeof item === 'symbol') return item.toString();
    if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) return '[seen]';
      seen.add(item);
    }
    return item;
  }) ?? 'undefined';
}
