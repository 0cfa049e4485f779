/**
 * Tells an input's kind from its content. Cheap: looks at the first meaningful characters and a
 * few marker lines, never parses the whole document.
 */
export type InputKind = 'ir-json' | 'introspection' | 'qapi-schema' | 'hx' | 'qmp-commands' | 'qmp-events';

export type Detection = { kind: InputKind } | { kind: 'unknown'; reason: string; line: number; column: number; lineText: string };

export function detectInput(text: string): Detection {
  const body = text.replace(/^\uFEFF/, '');
  const first = firstMeaningful(body);
  if (first.char === '[' || first.char === '{') {
    // JSON (IR, introspection) uses double quotes; the QAPI schema uses single quotes and `#`.
    if (/^\s*\{\s*"irVersion"/.test(body) || /"irVersion"\s*:/.test(body.slice(0, 200))) return { kind: 'ir-json' };
    if (/"meta-type"\s*:/.test(body.slice(0, 4000))) return { kind: 'introspection' };
  }
  // Text documents first: their examples may hold a line that looks like a QAPI definition
  // (1.1–2.0's `transaction` example: `{ 'type': 'blockdev-snapshot-sync', ...`).
  const textKind = detectTextDocument(body);
  if (textKind !== null) return { kind: textKind };
  // A QAPI definition or directive opening a line; `'type'` named structs until QEMU 2.3.
  if (/^\s*\{\s*'(include|command|struct|type|enum|union|alternate|event|pragma)'/m.test(body)) return { kind: 'qapi-schema' };
  const lineNo = body.slice(0, first.offset).split('\n').length;
  const lineStart = body.lastIndexOf('\n', first.offset - 1) + 1;
  const lineEnd = body.indexOf('\n', first.offset);
  return {
    kind: 'unknown',
    reason: 'expected IR JSON, a query-qmp-schema reply, a QAPI schema, a .hx file, or qmp-commands/qmp-events text with underlined headings',
    line: lineNo,
    column: first.offset - lineStart + 1,
    lineText: body.slice(lineStart, lineEnd === -1 ? undefined : lineEnd),
  };
}

/**
 * QEMU's text documents: a `.hx` source (its `SQMP`/`HXCOMM`/`STEXI` marker lines), or a
 * `qmp-commands.txt`/`qmp-events.txt`: headings underlined with dashes. Events are named in
 * capitals (`BLOCK_IO_ERROR`, `SPICE_CONNECTED, SPICE_DISCONNECTED`), commands in lower case
 * (`query-status`, `@query-memory-devices`, `__com.redhat_drive_add`). A document whose headings
 * are all prose (`Show rocker switch`) is still one when its sections say so.
 */
function detectTextDocument(body: string): 'hx' | 'qmp-commands' | 'qmp-events' | null {
  if (/^(SQMP|EQMP|HXCOMM|DEFHEADING|STEXI)/m.test(body)) return 'hx';
  let events = 0;
  let commands = 0;
  let prose = 0;
  const lines = body.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/^-{3,}\s*$/.test(lines[i]!)) continue;
    const heading = lines[i - 1]!.trim();
    if (/^[A-Z][A-Z0-9_]*(\s*,\s*[A-Z][A-Z0-9_]*)*$/.test(heading)) events++;
    else if (/^@?[a-z_][A-Za-z0-9_.-]*$/.test(heading)) commands++;
    else if (/^\S/.test(lines[i - 1]!)) prose++;
  }
  if (events + commands > 0) return events > commands ? 'qmp-events' : 'qmp-commands';
  if (prose > 0 && /^(Arguments|Data|Example|Examples):/m.test(body)) {
    return /^Data:/m.test(body) && !/"execute"/.test(body) ? 'qmp-events' : 'qmp-commands';
  }
  return null;
}

function firstMeaningful(text: string): { char: string; offset: number } {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return { char: '', offset: text.length };
      i = nl + 1;
    } else if (/\s/.test(c)) i++;
    else return { char: c, offset: i };
  }
  return { char: '', offset: text.length };
}
