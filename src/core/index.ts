// Public surface of the core layer (bundled as dist/core.js, loaded lazily by the extension and the CLI).
export * from './types';
export { allRules } from './rules';
export { analyzeText, documentKind, resolveConfig } from './analyzer';
export { lineStarts, positionAt, offsetAt } from './text';
