/**
 * Names of files that decide a tool's configuration anywhere in a workspace
 * (configs, ignore files, manifests, lock files), as one glob for a file watcher.
 */
export const CONFIG_FILES_GLOB =
  '**/{eslint.config.*,.prettierrc,.prettierrc.*,prettier.config.*,.prettierignore,.editorconfig,package.json,package.yaml,package-lock.json,npm-shrinkwrap.json,yarn.lock,pnpm-lock.yaml,bun.lock,bun.lockb}';
