// The heavy layers (core: ts-morph; aws: the AWS SDK) are separate bundles, loaded on first use only.
// The build rewrites these imports to `require('./core.js')` / `require('./aws.js')` (see scripts/build.mjs).
import type * as Core from '../core/index';
import type * as Aws from '../aws/index';

const loaded = new Set<'core' | 'aws'>();
let core: Promise<typeof Core> | undefined;
let aws: Promise<typeof Aws> | undefined;

export function loadCore(): Promise<typeof Core> {
  loaded.add('core');
  return (core ??= import('../core/index'));
}

export function loadAws(): Promise<typeof Aws> {
  loaded.add('aws');
  return (aws ??= import('../aws/index'));
}

/** Which heavy layers have been requested so far (for the activation test). */
export function loadedLayers(): string[] {
  return [...loaded].sort();
}
