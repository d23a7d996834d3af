// Public surface of the core layer (bundled as dist/core.js, loaded lazily by the extension and the CLI).
export * from './types';
export { allRules } from './rules';
export { analyzeText, documentKind, resolveConfig } from './analyzer';
export { lineStarts, positionAt, offsetAt } from './text';
export * from './scan';
export {
  loadConfig, loadConfigFile, validateConfig, findConfigFile, isRuleId, isSeverity, KNOWN_RULE_IDS, SEVERITIES, CONFIG_FILE_NAME,
  type LoadedConfig,
} from './config';
export * as secrets from './secrets';
export * as iac from './iac';
export * as iam from './iam';
export { applyEdits, OverlappingEditsError } from './fixes/apply';
export {
  fixText, checkFix, rolledBack, selectFixes, MAX_FIX_PASSES, type FixTextResult, type FixTextOptions, type FindingRef, type FailedFix,
} from './fixAll';
export { quickCheck, findTsconfig, type FileChange, type FixTypeChecker } from './fixes/verify';
export * as arn from './arn';
export { escapeControl, escapeJsonText, flaggedSecretTexts, Redactor, REDACTED } from './output';
export { planMove, literalValue, type MovePlan, type MoveTarget } from './move';
export * as store from './store';
