/** The real exchanges recorded by test/fixtures/runtime/record.mjs (strings are latin-1). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Step {
  send: string | null;
  receive: string;
}

function load(name: string): Step[] {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/runtime/${name}`, import.meta.url)), 'utf8')) as Step[];
}

export const qmpTranscript = load('qemu-7.2-qmp.json');
export const qgaTranscript = load('qemu-ga-7.2.json');
/** A `pretty=on` monitor of QEMU 7.2: each message spread over several CRLF lines. */
export const qmpPrettyTranscript = load('qemu-7.2-qmp-pretty.json');

/** The reply QEMU 7.2 gave to the recorded request that contains `needle`. */
export function qmpReplyTo(needle: string): string {
  const step = qmpTranscript.find((s) => s.send?.includes(needle));
  if (step === undefined) throw new Error(`no recorded request contains ${needle}`);
  return step.receive;
}

/** QEMU 7.2's greeting line, CRLF included. */
export const greeting72 = qmpTranscript[0]!.receive;

/** Every line of a recorded reply, each with its CRLF. */
export function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== '');
}
