// Secret detection library: reusable by rules, the CLI and the editor. Pure; never returns a secret value in text.
export { splitWords, isSecretName, isReferenceName, pathLooksSecret, extraWordSet } from './names';
export {
  classifySecret, findFormattedSecrets, shannonEntropy, isPlaceholder, isReference, looksLikeAwsSecretAccessKey, isCredentialText,
  SECRET_KIND_LABELS, ROTATING_KINDS, type SecretMatch, type SecretConfidence, type ClassifyOptions,
} from './detect';
export { findSecretsInText, findEncodedSecrets, isPublicKey } from './formats';
export { CATALOG, catalogMarkdown, catalogEntry, providerOf, type CatalogEntry } from './catalog';
export { isTestPath } from './context';
export { secretLabel, storageAdvice, rotateAdvice } from './advice';
