// The Lambda SDK rules, one per file. All share one Lambda model per file (src/core/lambda, see ./shared.ts).
import type { Rule } from '../../types';
import { clientInHandler } from './client-in-handler';
import { missingDecryption } from './missing-decryption';
import { nonsensitiveInSecretsManager } from './nonsensitive-in-secrets-manager';
import { sequentialFetch } from './sequential-fetch';
import { uncachedFetch } from './uncached-fetch';

export { uncachedFetch, clientInHandler, sequentialFetch, missingDecryption, nonsensitiveInSecretsManager };

export const lambdaRules: Rule[] = [uncachedFetch, clientInHandler, sequentialFetch, missingDecryption, nonsensitiveInSecretsManager];
