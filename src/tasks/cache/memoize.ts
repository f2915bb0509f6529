/** `compute` once per key for the life of one key computation (one run): every file of a folder shares its config. */
export function memoize<T>(compute: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const memo = new Map<string, Promise<T>>();
  return (key) => {
    let found = memo.get(key);
    if (!found) {
      found = compute(key);
      memo.set(key, found);
    }
    return found;
  };
}
