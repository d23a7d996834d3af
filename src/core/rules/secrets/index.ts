import type { Rule } from '../../types';
import { hardcodedSecret } from './hardcoded-secret';
import { iamWildcardResource } from './iam-wildcard-resource';
import { secretInEnv } from './secret-in-env';

export const secretRules: Rule[] = [hardcodedSecret, secretInEnv, iamWildcardResource];
