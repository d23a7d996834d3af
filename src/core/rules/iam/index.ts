// The IAM rules, one per file: wildcard resources (any IAM document or CDK code), and the rules that compare a
// function's IAM policy with what its handler code reads (issue 7).
import type { Rule } from '../../types';
import { iamMissingGrant } from './iam-missing-grant';
import { iamMissingKmsDecrypt } from './iam-missing-kms-decrypt';
import { iamOverbroadResource } from './iam-overbroad-resource';
import { iamWildcardResource } from './iam-wildcard-resource';

export { iamWildcardResource, iamMissingKmsDecrypt, iamOverbroadResource, iamMissingGrant };

/** The IAM rules; `iam-wildcard-resource` first (documentation order). */
export const iamRules: Rule[] = [iamWildcardResource, iamMissingKmsDecrypt, iamOverbroadResource, iamMissingGrant];
