/**
 * The targets `qmp-codegen generate` (no arguments) regenerates into `generated/<name>/`, each from
 * documents under `spec/`. Paths are relative to the project root.
 */
export interface TargetConfig {
  name: string;
  /** Documents read together into one model (as `qmp-codegen parse` takes them). */
  inputs: string[];
  /** Build configuration for schema `if` conditions: a preset name or config symbols. */
  configuration?: string | string[];
}

export const targets: TargetConfig[] = [
  { name: 'qemu-2.8.0', inputs: ['spec/qemu-2.8.0/qmp-commands.txt', 'spec/qemu-2.8.0/qmp-events.txt'] },
];
