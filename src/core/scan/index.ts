// The file scanner behind `keyway scan` and workspace-wide analysis.
export {
  scanPaths, collectFiles, analyzeCollectedFile, commonRoot, EXCLUDED_DIRS, ALWAYS_EXCLUDED_DIRS, BUILD_DIRS, IGNORE_FILES, SKIP_REASONS,
  type ScanOptions, type IgnoreMode, type ReadKind, type ScanResult, type ScanProgress, type ScanError, type SkipReason, type CollectedFile, type CollectResult, type CollectedResult,
} from './scanner';
export { IgnoreMatcher, parsePattern, parseIgnoreFile, type IgnorePattern } from './gitignore';
export { decodeText, encodeText, looksMinified, readForAnalysis, writeFileNoFollow, fastPassLargeFile, FAST_PASS_LIMIT, FsProjectContext, type Encoding, type DecodedText, type ReadResult } from './files';
export { gitTrackedFiles, findGitTop, type GitTracked, type GitLookup } from './git';
