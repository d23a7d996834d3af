import type { Rule } from '../types';
import { secretRules } from './secrets';
import { lambdaRules } from './lambda';
import { iamRules } from './iam';
import { secretExposed } from './lambda/secret-exposed';

/** Every rule Keyway knows, in documentation order. */
export const allRules: readonly Rule[] = [...secretRules, ...lambdaRules, ...iamRules, secretExposed];
