/**
 * What `qmp-codegen generate` (no arguments) regenerates, from documents under `spec/`: the
 * targets in `generated/<name>/` and the upgrade reports in `generated/upgrades/`. Paths are
 * relative to the project root.
 */
export interface TargetConfig {
  name: string;
  /** Documents read together into one model (as `qmp-codegen parse` takes them). */
  inputs: string[];
  /** Build configuration for schema `if` conditions: preset names or config symbols. */
  configuration?: string[];
  /**
   * For bindings true for several releases (`codegen/range/`): the releases' targets, oldest
   * first, each read on its own and then merged; `inputs` then lists all their documents.
   */
  range?: TargetConfig[];
  /**
   * For a `query-qmp-schema` reply: the documented release whose names its types take, and whose
   * documentation they carry where the shapes agree (`frontends/introspect/documented.ts`).
   */
  namesFrom?: TargetConfig;
  /** For a guest agent known by its binary: its `guest-info` reply, which the agent schema in `inputs` is kept to. */
  agentInfo?: string;
}

export interface UpgradeReportConfig {
  /** Output path, relative to the project root. */
  out: string;
  old: TargetConfig;
  new: TargetConfig;
}

const qemu72: TargetConfig = {
  name: 'qemu-7.2.0',
  inputs: ['spec/qemu-7.2.0/qapi-schema/qapi/qapi-schema.json'],
  configuration: ['linux-x86_64-7.2'],
};
const qemu1002: TargetConfig = {
  name: 'qemu-10.0.2',
  inputs: ['spec/qemu-10.0.2/qapi-schema/qapi/qapi-schema.json'],
  configuration: ['linux-x86_64-10.0'],
};
const qemu102: TargetConfig = {
  name: 'qemu-10.2.0',
  inputs: ['spec/qemu-10.2.0/qapi-schema/qapi/qapi-schema.json'],
  configuration: ['linux-x86_64-10.2'],
};

/** QEMU 11.1.3 is known by its binary only: its live reply, named and documented from 10.2.0. */
const qemu1113: TargetConfig = {
  name: 'qemu-11.1.3',
  inputs: ['spec/qemu-11.1.3/query-qmp-schema.json'],
  namesFrom: qemu102,
};

/** Bindings true for every release of `releases` (oldest first): see `codegen/range/`. */
function range(name: string, releases: TargetConfig[]): TargetConfig {
  return { name, inputs: releases.flatMap((t) => t.inputs), range: releases };
}

export const targets: TargetConfig[] = [
  { name: 'qemu-2.8.0', inputs: ['spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt'] },
  qemu72,
  { name: 'qga-7.2.0', inputs: ['spec/qemu-7.2.0/qapi-schema/qga/qapi-schema.json'], configuration: ['linux-x86_64-7.2'] },
  qemu1002,
  { name: 'qga-10.0.2', inputs: ['spec/qemu-10.0.2/qapi-schema/qga/qapi-schema.json'], configuration: ['linux-x86_64-10.0'] },
  qemu102,
  { name: 'qga-10.2.0', inputs: ['spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json'], configuration: ['linux-x86_64-10.2'] },
  qemu1113,
  {
    name: 'qga-11.1.3',
    inputs: ['spec/qemu-10.2.0/qapi-schema/qga/qapi-schema.json'],
    configuration: ['linux-x86_64-10.2'],
    agentInfo: 'spec/qemu-11.1.3/guest-info.json',
  },
  // The releases of the last four years, as one set of bindings a fleet of them can share.
  range('qemu-7.2-to-11.1', [qemu72, qemu1002, qemu102, qemu1113]),
];

export const upgradeReports: UpgradeReportConfig[] = [
  { out: 'generated/upgrades/qemu-7.2.0-to-10.2.0.md', old: qemu72, new: qemu102 },
  { out: 'generated/upgrades/qemu-10.0.2-to-10.2.0.md', old: qemu1002, new: qemu102 },
  { out: 'generated/upgrades/qemu-10.2.0-to-11.1.3.md', old: qemu102, new: qemu1113 },
];

/**
 * The configuration `diff` assumes when none is given: a Linux x86_64 host, as the committed
 * targets. The 7.2 and 10.2 presets together: each schema only tests its own release's symbols.
 */
export const defaultDiffConfiguration = ['linux-x86_64-7.2', 'linux-x86_64-10.2'];
