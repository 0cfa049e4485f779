/**
 * A generation job, one target's worth: what `generate` resolved from its flags or from the
 * configured targets, and the keys its up-to-date stamps are made with.
 */
import { generatorFingerprint } from './stamp.js';
import type { TargetConfig, UpgradeReportConfig } from '../targets.js';

/** A documented release (`names-from.ts`) to name types from: plain data, so that it can be part of a stamp key. */
export interface NamesFrom {
  /** `10.2.0`, or the schema's path. */
  label: string;
  inputs: string[];
  conditions?: string[] | undefined;
}

export interface Job {
  /** Set once the job's build step ran (its formatting threads then need closing). */
  built?: boolean;
  /** For configured targets: file paths in the model are made relative to this folder. */
  relocateTo?: string;
  name: string;
  inputs: string[];
  outDir: string;
  runtimeImport: string;
  conditions?: string[] | undefined;
  /**
   * For bindings true for several releases: one entry per release, oldest first, each read on its
   * own and then merged (`codegen/range/`); `inputs` then lists every release's documents.
   */
  range?: RangeRelease[];
  /** For a `query-qmp-schema` reply: the documented release its types are named and documented from. */
  namesFrom?: NamesFrom;
  /** For a guest agent: its `guest-info` reply, which the agent schema is kept to. */
  agentInfo?: string;
  /** The command the files' first line says regenerates them. */
  regenerate?: string;
}

export interface RangeRelease {
  /** How remarks and findings name the release, e.g. `7.2.0`. */
  label: string;
  inputs: string[];
  conditions?: string[] | undefined;
  /** As a job's: a reply's release named and documented from a documented one. */
  namesFrom?: NamesFrom;
  /** As a job's: a guest agent's `guest-info` reply. */
  agentInfo?: string;
}

export function stampKey(job: Job): string {
  return JSON.stringify({
    generator: generatorFingerprint(),
    inputs: job.inputs,
    conditions: job.conditions,
    runtime: job.runtimeImport,
    ...(job.range ? { range: job.range } : {}),
    ...(job.namesFrom ? { namesFrom: job.namesFrom } : {}),
    ...(job.agentInfo ? { agentInfo: job.agentInfo } : {}),
    ...(job.regenerate ? { regenerate: job.regenerate } : {}),
  });
}

export function reportStampKey(report: UpgradeReportConfig): string {
  return JSON.stringify({ generator: generatorFingerprint(), report });
}

/** A configured release's name in a range: its version (`qemu-7.2.0` → `7.2.0`), or its name. */
export function releaseLabel(target: TargetConfig): string {
  return /(\d+\.\d+(?:\.\d+)?)$/.exec(target.name)?.[1] ?? target.name;
}
