/**
 * Targets made from what a QEMU says of itself rather than from its documents: a
 * `query-qmp-schema` reply named and documented from a documented release (`names-from.ts`),
 * and a guest agent's `guest-info`, typed by a documented agent schema
 * (`frontends/agent-info.ts`). Their files' first line names the QEMU version, and the command
 * that regenerates them.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readModel } from '../frontends/index.js';
import { restrictToAgentInfo } from '../frontends/agent-info.js';
import { nameFromRelease, type NamingReport } from '../frontends/introspect/documented.js';
import { parseJsonFile } from '../ir/json.js';
import { relocateModel } from '../ir/relocate.js';
import type { Diagnostic, QmpModel } from '../ir/types.js';
import { packageRoot } from '../paths.js';
import type { NamesFrom } from './names-from.js';

const releases = new Map<string, QmpModel>();

/** The naming release's model, read once per process (its paths relative to the project root). */
function namingModel(from: NamesFrom): QmpModel {
  const key = JSON.stringify(from);
  let model = releases.get(key);
  if (model === undefined) {
    model = relocateModel(readModel(from.inputs, from.conditions ? { conditions: from.conditions } : {}), packageRoot);
    releases.set(key, model);
  }
  return model;
}

/** Every document a naming release is read from (for up-to-date stamps). */
export function namingFiles(from: NamesFrom): string[] {
  return namingModel(from).source.files.map((f) => join(packageRoot, f));
}

/**
 * An introspection model named and documented from `from`, its report a note among its
 * diagnostics; any other model as it is (its names are QEMU's already).
 */
export function withReleaseNames(model: QmpModel, from: NamesFrom | undefined): { model: QmpModel; report?: NamingReport } {
  if (from === undefined || model.source.frontend !== 'introspection') return { model };
  const { model: named, report } = nameFromRelease(model, { label: from.label, model: namingModel(from) });
  const loc = { file: model.source.files[0] ?? '', line: 1, column: 1 };
  const summary: Diagnostic = { severity: 'info', code: 'introspection-names', message: namingSummary(report), ...loc };
  named.diagnostics = [...named.diagnostics, summary];
  return { model: named, report };
}

/** One line: how many types took the release's names and documentation. */
export function namingSummary(report: NamingReport): string {
  const { types, documented, changed, derived, documentedDerived, commands, events } = report;
  return (
    `names from QEMU ${report.release}: ${documented.length + changed.length}/${types} types named as it names them ` +
    `(${documented.length} documented, ${changed.length} of another shape there, not documented), ` +
    `${derived.length} named after their use (${documentedDerived.length} of them documented: same shape as the type at their places); ` +
    `commands documented ${commands.documented}/${commands.documented + commands.changed.length + commands.absent.length}, ` +
    `events ${events.documented}/${events.documented + events.changed.length + events.absent.length}`
  );
}

/** A guest agent target: the agent schema's model kept to what its `guest-info` reply lists. */
export function withAgentInfo(model: QmpModel, agentInfo: string | undefined): QmpModel {
  if (agentInfo === undefined) return model;
  const file = relative(packageRoot, agentInfo).startsWith('..') ? agentInfo : relative(packageRoot, agentInfo);
  return restrictToAgentInfo(model, parseJsonFile(readFileSync(agentInfo, 'utf8'), agentInfo), file);
}

/**
 * What the first line of each file says it was generated from: for a reply, QEMU's version
 * (from `query-version`) first; else the documents.
 */
export function describeModel(model: QmpModel, documents: string, from: NamesFrom | undefined, agentInfo: string | undefined): string {
  const release = model.source.release;
  if (model.source.frontend === 'introspection') {
    const names = from === undefined ? 'types named after their use' : `named and documented from QEMU ${from.label} where the shapes agree`;
    return `QEMU ${release ?? '(version unknown)'}'s query-qmp-schema (${documents}), ${names}`;
  }
  if (agentInfo !== undefined) {
    const info = model.source.files.at(-1) ?? agentInfo;
    return `qemu-ga ${release ?? '(version unknown)'}'s guest-info (${info}): its commands, typed and documented by ${documents}`;
  }
  return documents;
}
