// The Lambda model (see model.ts for the map of its passes) and the helpers the Lambda rules share.
export * from './model';
export * from './sdk';
export { nameWords, lastSegment, looksSecretName, nonSensitiveKind } from './names';
export { secureNames, decryptionState, hintLooksSecret, type SecureInfo } from './secure';
export { findSequentialGroups, type SequentialGroup } from './sequential';
