import * as path from 'node:path';

/** Whether `file` is `folder` or lies below it, by name (callers resolve links first where that matters). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}
