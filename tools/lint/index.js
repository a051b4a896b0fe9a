// The lint toolchain lives in its own package because typescript-eslint and dependency-cruiser
// parse with the TypeScript compiler API, which TypeScript 7 (the project's tsc) no longer ships:
// here they get TypeScript 6.0, installed beside them, while `tsc -b` stays on 7.
export { default as js } from '@eslint/js';
export { default as globals } from 'globals';
export { default as reactHooks } from 'eslint-plugin-react-hooks';
export { default as tseslint } from 'typescript-eslint';
