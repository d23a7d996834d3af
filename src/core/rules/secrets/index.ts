import type { Rule } from '../../types';
import { hardcodedSecret } from './hardcoded-secret';
import { secretInEnv } from './secret-in-env';

export const secretRules: Rule[] = [hardcodedSecret, secretInEnv];
