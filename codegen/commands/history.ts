/**
 * `qmp-codegen history NAME [--json]`: the releases of the corpus (this checkout's `spec/`, or
 * `--spec DIR`) that have a command, event, type or member, and what changed when, computed from
 * every release's documents; `Since:` lines that disagree are listed. `--findings` lists every
 * such line of the corpus. Exit 0 when found, 1 when no release has NAME, 2 on bad usage or a
 * corpus that cannot be read.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { CorpusError, openCorpus, releaseHistory } from '../history/index.js';
import { findingsJson, historyJson, renderFindingsText, renderHistoryText } from '../history/render.js';
import { packageRoot } from '../paths.js';

export function historyCommand(args: { values: Record<string, unknown>; positionals: string[] }): Promise<number> {
  return Promise.resolve(history(args));
}

function history({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }): number {
  const findings = values.findings === true;
  if (findings ? positionals.length !== 0 : positionals.length !== 1) {
    console.error(
      findings
        ? 'qmp-codegen history: --findings takes no NAME'
        : 'qmp-codegen history: give one NAME: a command, event or type, or OWNER.MEMBER (migrate.blk)',
    );
    return 2;
  }
  const family = (values.family as string | undefined) ?? 'qemu';
  if (family !== 'qemu' && family !== 'qga') {
    console.error(`qmp-codegen history: --family is qemu or qga, not ${family}`);
    return 2;
  }
  // Paths in the output as the user would type them: relative to where the command runs, if inside it.
  const given = typeof values.spec === 'string' ? values.spec : join(packageRoot, 'spec');
  const inside = relative(process.cwd(), given);
  const dir = isAbsolute(given) && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : given;
  if (!existsSync(dir)) {
    console.error(
      `qmp-codegen history: ${dir}: no such directory; the corpus is a source checkout's spec/, or name one with --spec DIR (qemu-<version> folders)`,
    );
    return 2;
  }
  try {
    const history = releaseHistory(openCorpus(dir, { family }));
    if (history.releases.length === 0) {
      console.error(
        `qmp-codegen history: ${dir} holds no release folder (qemu-<version>) with ${family === 'qga' ? 'a guest agent schema or guest-info reply' : 'QMP documents'}`,
      );
      return 2;
    }
    if (findings) {
      const all = history.findings();
      process.stdout.write(values.json === true ? findingsJson(all, history.releases) : renderFindingsText(all, history.releases));
      return 0;
    }
    const name = positionals[0]!;
    const found = history.of(name);
    if (!found) {
      const near = history.suggest(name);
      console.error(
        `qmp-codegen history: no release of ${dir} (${history.releases.length}, ${history.releases[0]!.release} to ${history.releases.at(-1)!.release}) has ${name}` +
          (near.length > 0 ? `; similar names: ${near.join(', ')}` : '') +
          (family === 'qemu' ? '; a guest agent command? --family qga' : ''),
      );
      return 1;
    }
    process.stdout.write(values.json === true ? historyJson(found, history.releases) : renderHistoryText(found, history.releases));
    return 0;
  } catch (error) {
    if (error instanceof CorpusError) {
      console.error(`qmp-codegen history: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
