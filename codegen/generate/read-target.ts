import { join } from 'node:path';
import { readModel } from '../frontends/index.js';
import { relocateModel } from '../ir/relocate.js';
import type { QmpModel } from '../ir/types.js';
import type { TargetConfig } from '../targets.js';
import { mergeReleases } from '../range/merge.js';
import { releaseLabel } from './job.js';
import { targetNamesFrom } from './names-from.js';
import { withAgentInfo, withReleaseNames } from './introspected.js';

/**
 * A configured target's model, its paths relative to the project root (so, the same everywhere);
 * a range target's is its releases' models merged; one from a reply, named from its release.
 */
export function readTarget(target: TargetConfig, projectRoot: string): QmpModel {
  if (target.range) return mergeReleases(target.range.map((t) => ({ label: releaseLabel(t), model: readTarget(t, projectRoot) })));
  const model = relocateModel(
    readModel(
      target.inputs.map((i) => join(projectRoot, i)),
      { conditions: target.configuration },
    ),
    projectRoot,
  );
  const agent = withAgentInfo(model, target.agentInfo === undefined ? undefined : join(projectRoot, target.agentInfo));
  return withReleaseNames(agent, target.namesFrom ? targetNamesFrom(target.namesFrom) : undefined).model;
}
