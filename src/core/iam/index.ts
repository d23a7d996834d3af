// Least privilege from the code (issue 7): reference extraction, function ↔ handler mapping, policy generation and
// the policy/code comparisons behind the IAM rules. Pure: no vscode, no AWS calls.
export {
  fileReferences, handlerReferences, handlerExports, fileModelOf, UNKNOWN,
  type Reference, type UnresolvedReference, type References, type EnvMap, type Operation,
} from './refs';
export {
  functionsFromInfra, functionsFromCdk, splitHandler, resolveSourceFile, looksLikeCdk,
  type Flavour, type IamFunction, type IamStatement, type IamResource,
} from './functions';
export { documentFunctions, projectFunctions, mayDefineFunctions, type AnalyzedFunction } from './project';
export {
  generateStatements, renderPolicy, policyDocument, yamlStatements, placeholders, POLICY_FORMATS,
  type PolicyFormat, type PolicyOptions, type GeneratedStatement,
} from './policy';
export { refCoverage, kmsCoverage, overbroadResources, resourceCovers, resourceProbe, neededAction, type Coverage, type Overbroad } from './check';
export { wildcardFixes } from './fix';
export { resolveNameAt, matchStoreNames, type ResolvedNameAt, type NameResolution, type NameTree } from './resolveAt';
export { isAwsManagedKey, customerKeyOf, customerKeyCoverage, type KeyedValue } from './keys';
