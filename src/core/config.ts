// `.keywayrc.json`: discovery, strict validation, merging. Never throws: problems come back as messages
// that name the file and the offending key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, type KeywayConfig, type RuleId, type Severity } from './types';

export const CONFIG_FILE_NAME = '.keywayrc.json';

/** Every rule id Keyway defines (whether or not its implementation is registered yet). */
export const KNOWN_RULE_IDS: readonly RuleId[] = [
  'hardcoded-secret',
  'secret-in-env',
  'uncached-fetch',
  'client-in-handler',
  'sequential-fetch',
  'missing-decryption',
  'nonsensitive-in-secrets-manager',
  'iam-wildcard-resource',
  'iam-missing-kms-decrypt',
  'iam-overbroad-resource',
  'iam-missing-grant',
  'secret-exposed',
];

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export function isRuleId(s: string): s is RuleId {
  return (KNOWN_RULE_IDS as readonly string[]).includes(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

export interface LoadedConfig {
  /** The complete configuration (defaults where the file is silent or wrong). */
  config: KeywayConfig;
  /** The file it came from, when one was found. */
  file?: string;
  /** Human-readable problems, each naming the file and the key. Empty when the file is valid. */
  errors: string[];
}

const TOP_KEYS = new Set(['$schema', 'rules', 'cacheTtlSeconds', 'secretWords', 'ignore', 'maxFileSize', 'testFiles', 'minConfidence']);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Validate parsed JSON as a Keyway configuration. Invalid keys are reported and left at their defaults,
 * valid keys are kept. `file` is only used in messages.
 */
export function validateConfig(raw: unknown, file = CONFIG_FILE_NAME): LoadedConfig {
  const errors: string[] = [];
  const config: KeywayConfig = { ...DEFAULT_CONFIG, rules: {}, secretWords: [], ignore: [] };
  const err = (key: string, msg: string) => errors.push(`${file}: "${key}": ${msg}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(`${file}: the configuration must be a JSON object, got ${typeName(raw)}`);
    return { config, file, errors };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!TOP_KEYS.has(key)) err(key, `unknown key (allowed: ${[...TOP_KEYS].filter((k) => k !== '$schema').join(', ')})`);
  }
  if ('rules' in obj) {
    const rules = obj.rules;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      err('rules', `must be an object mapping rule ids to "off" or a severity, got ${typeName(rules)}`);
    } else {
      for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
        if (!isRuleId(id)) {
          err(`rules.${id}`, `unknown rule id (known: ${KNOWN_RULE_IDS.join(', ')})`);
          continue;
        }
        if (typeof value !== 'string' || (value !== 'off' && !isSeverity(value))) {
          err(`rules.${id}`, `must be one of "off", ${SEVERITIES.map((s) => `"${s}"`).join(', ')}; got ${JSON.stringify(value) ?? typeName(value)}`);
          continue;
        }
        config.rules[id] = value;
      }
    }
  }
  const nonNegInt = (key: 'cacheTtlSeconds' | 'maxFileSize', min: number) => {
    if (!(key in obj)) return;
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      err(key, `must be an integer >= ${min}, got ${typeof v === 'number' ? String(v) : typeName(v)}`);
      return;
    }
    config[key] = v;
  };
  nonNegInt('cacheTtlSeconds', 0);
  nonNegInt('maxFileSize', 1);
  const stringList = (key: 'secretWords' | 'ignore' | 'testFiles') => {
    if (!(key in obj)) return;
    const v = obj[key];
    if (!Array.isArray(v)) {
      err(key, `must be an array of strings, got ${typeName(v)}`);
      return;
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item !== 'string') err(`${key}[${i}]`, `must be a string, got ${typeName(item)}`);
      else if (item.trim() === '') err(`${key}[${i}]`, 'must not be empty');
      else out.push(item);
    });
    config[key] = out;
  };
  stringList('secretWords');
  stringList('ignore');
  stringList('testFiles');
  if ('minConfidence' in obj) {
    const v = obj.minConfidence;
    if (v === 'high' || v === 'medium') config.minConfidence = v;
    else err('minConfidence', `must be "high" or "medium", got ${JSON.stringify(v) ?? typeName(v)}`);
  }
  return { config, file, errors };
}

/** Read and validate one configuration file. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      config: { ...DEFAULT_CONFIG, rules: {}, secretWords: [], ignore: [] }, file,
      errors: [`${file}: cannot read the configuration file (${code ?? (e as Error).message})`],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      config: { ...DEFAULT_CONFIG, rules: {}, secretWords: [], ignore: [] }, file,
      errors: [`${file}: invalid JSON (${(e as Error).message})`],
    };
  }
  return validateConfig(raw, file);
}

/** The nearest `.keywayrc.json` in `startDir` or one of its ancestors. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch { /* not here */ }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The configuration for a scan rooted at `root`: the explicit `file` when given, else the nearest
 * `.keywayrc.json` above `root`, else the defaults.
 */
export function loadConfig(root: string, file?: string): LoadedConfig {
  const found = file ? path.resolve(file) : findConfigFile(root);
  if (!found) return { config: { ...DEFAULT_CONFIG, rules: {}, secretWords: [], ignore: [] }, errors: [] };
  return loadConfigFile(found);
}
