import { join } from 'node:path';
import { readModel } from '../frontends/index.js';
import { relocateModel } from '../ir/relocate.js';
import type { QmpModel } from '../ir/types.js';
import type { TargetConfig } from '../targets.js';

/** A configured target's model, its paths relative to the project root (so, the same everywhere). */
export function readTarget(target: TargetConfig, projectRoot: string): QmpModel {
  return relocateModel(readModel(target.inputs.map((i) => join(projectRoot, i)), { conditions: target.configuration }), projectRoot);
}
