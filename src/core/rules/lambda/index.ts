import type { Rule } from '../../types';
export const lambdaRules: Rule[] = [];
