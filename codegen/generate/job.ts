/**
 * A generation job, one target's worth: what `generate` resolved from its flags or from the
 * configured targets, and the keys its up-to-date stamps are made with.
 */
import { generatorFingerprint } from './stamp.js';
import type { UpgradeReportConfig } from '../targets.js';

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
}

export function stampKey(job: Job): string {
  return JSON.stringify({ generator: generatorFingerprint(), inputs: job.inputs, conditions: job.conditions, runtime: job.runtimeImport });
}

export function reportStampKey(report: UpgradeReportConfig): string {
  return JSON.stringify({ generator: generatorFingerprint(), report });
}
