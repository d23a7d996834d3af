// Infrastructure parsing: YAML (CloudFormation tags), JSON with offsets, HCL (Terraform), .env files, and the Lambda/IAM model.
export * from './nodes';
export { parseYaml, CFN_SHORT_TAGS } from './yaml';
export { parseJson } from './json';
export { parseEnv, type EnvEntry } from './env';
export { parseServerlessScript, isServerlessScript } from './serverless-ts';
export { parseHcl, hclReference, blocksOf, attribute, type HclBlock, type HclFile, type HclTag } from './hcl';
export { isTerraformRoot, localValue, terraform, tfBlocks, tfReference, all as allOf, type TfBlock } from './terraform';
export {
  parseInfra, buildInfraModel, detectFormat, isWholeServerlessVariable, type InfraModel, type InfraFormat, type LambdaFunction, type EnvVariable,
  type EnvScope, type PolicyStatement, type StatementSource, type SamPolicyTemplate,
} from './model';
