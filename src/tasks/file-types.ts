/** The files each kind looks at in a folder, unless the user says otherwise. */
export const JS_TS_FILES = '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}';

/** What `prettier .` formats when given a folder. */
export const PRETTIER_FILES = '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,json,jsonc,json5,css,scss,less,html,vue,md,markdown,mdx,yaml,yml,graphql,gql}';
