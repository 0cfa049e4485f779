/**
 * The layers point one way: the CLI's commands parse flags and print, the pipeline under them
 * returns results, and the runtime knows nothing of the code generator. Read from the imports
 * of the sources themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/typecheck.js';

/** Every hand-written module under `folders`, with the project modules it imports (types included). */
function importGraph(folders: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of readdirSync(join(projectRoot, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
      const path = join(projectRoot, folder, file);
      const imports = [...readFileSync(path, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.[^']+)';/gms)].map(([, specifier]) =>
        relative(projectRoot, resolve(path, '..', specifier!)).replace(/\.js$/, '.ts'),
      );
      graph.set(relative(projectRoot, path), imports);
    }
  }
  return graph;
}

const graph = importGraph(['codegen', 'runtime', 'tools']);

describe('layers', () => {
  it('no module imports itself back through others (no import cycle)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, path: string[]): void => {
      if (state.get(module) === 'done') return;
      if (state.get(module) === 'open') return void cycles.push([...path.slice(path.indexOf(module)), module].join(' → '));
      state.set(module, 'open');
      for (const next of graph.get(module) ?? []) if (graph.has(next)) visit(next, [...path, module]);
      state.set(module, 'done');
    };
    for (const module of graph.keys()) visit(module, []);
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles).toEqual([]);
  });

  it('the pipeline (generate/, frontends/, ir/, emit/, diff/) imports no CLI command, and prints nothing', () => {
    const offenders: string[] = [];
    for (const [module, imports] of graph) {
      if (!/^codegen\/(generate|frontends|ir|emit|diff)\//.test(module)) continue;
      for (const target of imports) if (target.startsWith('codegen/commands/') || target === 'codegen/cli.ts') offenders.push(`${module} imports ${target}`);
      // the watch loop takes a log function: printing is its caller's choice
      if (
        /\bconsole\.(log|error|warn)\(/.test(
          readFileSync(join(projectRoot, module), 'utf8').replace(/options\.log \?\? \(\(line: string\) => console\.log\(line\)\)/, ''),
        )
      ) {
        offenders.push(`${module} prints`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the runtime imports nothing of the code generator, the tools or the generated bindings', () => {
    const offenders = [...graph]
      .filter(([module]) => module.startsWith('runtime/'))
      .flatMap(([module, imports]) => imports.filter((t) => !t.startsWith('runtime/')).map((t) => `${module} imports ${t}`));
    expect(offenders).toEqual([]);
  });
});
