import type { Rule } from '../../types';
export const secretRules: Rule[] = [];
