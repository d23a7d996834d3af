import type { Rule } from '../../types';
import { iamMissingGrant } from './missing-grant';
import { iamMissingKmsDecrypt } from './missing-kms-decrypt';
import { iamOverbroadResource } from './overbroad-resource';

/** Rules that compare a function's IAM policy with what its handler code reads (issue 7). */
export const iamRules: Rule[] = [iamMissingKmsDecrypt, iamOverbroadResource, iamMissingGrant];
