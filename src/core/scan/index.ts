// The file scanner behind `keyway scan` and workspace-wide analysis.
export {
  scanPaths, collectFiles, analyzeCollectedFile, commonRoot, EXCLUDED_DIRS, IGNORE_FILES, SKIP_REASONS,
  type ScanOptions, type ScanResult, type ScanProgress, type ScanError, type SkipReason, type CollectedFile, type CollectResult, type CollectedResult,
} from './scanner';
export { IgnoreMatcher, parsePattern, parseIgnoreFile, type IgnorePattern } from './gitignore';
export { decodeText, encodeText, looksMinified, readForAnalysis, FsProjectContext, type Encoding, type DecodedText, type ReadResult } from './files';
