/**
 * The runtime's errors. Each kind of failure has its own class so callers can branch with
 * `instanceof`; every one carries the command (and id) it concerns when there is one.
 */

/** The server answered a command with `{"error": {"class", "desc"[, "data"]}}`. */
export class QmpError extends Error {
  override name = 'QmpError';
  /** The reply's `class`, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
  readonly errorClass: string;
  /** The reply's human-readable `desc`. */
  readonly desc: string;
  /** The reply's `data` (QEMU before 1.2 sent it with each error; later QEMU never does). */
  readonly data: unknown;
  /** The command that failed. */
  readonly command: string;
  /** The id the command was sent with. */
  readonly id: unknown;

  constructor(command: string, id: unknown, errorClass: string, desc: string, data?: unknown) {
    super(`${command}: ${errorClass}: ${desc}`);
    this.command = command;
    this.id = id;
    this.errorClass = errorClass;
    this.desc = desc;
    this.data = data;
  }
}

/**
 * The connection is gone: closed by `close()`, by the peer (QEMU `quit`, QEMU killed), by a
 * protocol violation (then `cause` is the `QmpProtocolError`), or it never opened.
 */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  /** The command this rejection is for, when it is for one. */
  readonly command: string | undefined;

  constructor(message: string, options?: { cause?: unknown; command?: string }) {
    super(options?.command === undefined ? message : `${options.command}: ${message}`, { cause: options?.cause });
    this.command = options?.command;
  }

  /** The same reason, addressed to one command. */
  forCommand(command: string): ConnectionClosedError {
    const error = new ConnectionClosedError(this.message, { cause: this.cause, command });
    return error;
  }
}

/** A call (or connecting, or waiting for an event) took longer than its `timeout`. */
export class QmpTimeoutError extends Error {
  override name = 'QmpTimeoutError';
  /** The command, or what was being waited for (`connect`, `event STOP`). */
  readonly command: string;
  readonly id: unknown;
  /** The timeout that expired, in milliseconds. */
  readonly timeout: number;

  /** `hint`: the likely cause, when the client can tell (appended to the message). */
  constructor(command: string, timeout: number, id?: unknown, hint?: string) {
    super(`${command}: no reply within ${timeout} ms${hint === undefined ? '' : `: ${hint}`}`);
    this.command = command;
    this.id = id;
    this.timeout = timeout;
  }
}

/**
 * A call was refused before it was sent: `limit` calls already await their replies
 * (`maxPending`). Nothing was sent; the connection goes on. A program that floods a peer which
 * stopped answering meets this instead of growing without bound.
 */
export class QmpPendingLimitError extends Error {
  override name = 'QmpPendingLimitError';
  readonly command: string;
  readonly limit: number;

  constructor(command: string, limit: number) {
    super(`${command}: not sent: ${limit} calls already await their replies (maxPending); wait for some to settle, or connect with a larger maxPending`);
    this.command = command;
    this.limit = limit;
  }
}

/**
 * The peer broke the protocol: bytes that are not JSON, a message that is not an object or
 * has none of `return`, `error`, `event`, `QMP`, a malformed greeting or error. `offset` is
 * the byte position in the stream (counted from the connection's first byte) where the
 * offending message starts; `position` is where the fault was found, when known.
 */
export class QmpProtocolError extends Error {
  override name = 'QmpProtocolError';
  readonly offset: number;
  readonly position: number;
  /** The start of the offending message, at most 200 characters (latin-1 for a message too large to decode). */
  readonly excerpt: string;

  constructor(message: string, details: { offset: number; position?: number; excerpt?: string }, options?: { cause?: unknown }) {
    const position = details.position ?? details.offset;
    const excerpt = details.excerpt ?? '';
    super(
      `${message} (at byte ${position}${position === details.offset ? '' : `, in the message starting at byte ${details.offset}`})${excerpt === '' ? '' : `: ${JSON.stringify(excerpt)}`}`,
      options,
    );
    this.offset = details.offset;
    this.position = position;
    this.excerpt = excerpt;
  }
}

/** A message (reply, event or greeting) longer than the configured `maxMessageSize`. */
export class QmpMessageTooLargeError extends QmpProtocolError {
  override name = 'QmpMessageTooLargeError';
  /** The limit, in bytes, without the line terminator. */
  readonly limit: number;

  constructor(limit: number, offset: number, excerpt: string) {
    super(`message longer than maxMessageSize (${limit} bytes)`, { offset, position: offset + limit, excerpt });
    this.limit = limit;
  }
}

/**
 * Events were dropped because a bounded buffer was full: the client's buffer of events nobody
 * listened to, or an `events()` iterator whose consumer fell behind.
 */
export class QmpEventOverflowError extends Error {
  override name = 'QmpEventOverflowError';
  /** How many events were dropped. */
  readonly dropped: number;
  /** The buffer's capacity. */
  readonly limit: number;

  constructor(message: string, dropped: number, limit: number) {
    super(message);
    this.dropped = dropped;
    this.limit = limit;
  }
}

/**
 * A message held integers beyond JavaScript's exact range (a `uint64` above 2^53) and, as the
 * client was not asked for `integers: 'bigint'`, they were delivered rounded. Reported through
 * `onError`; the call or event itself is delivered as usual.
 */
export class QmpPrecisionWarning extends Error {
  override name = 'QmpPrecisionWarning';
  /** The command whose reply it was, or the event's name. */
  readonly source: string;
  /** The command's id, for a reply. */
  readonly id: unknown;
  /** The first rounded integers (at most 10): where each is (`return.a[0].b`) and the digits the server sent. */
  readonly integers: readonly { path: string; literal: string }[];
  /** How many integers of the message were rounded, `integers` and the rest. */
  readonly count: number;

  constructor(source: string, id: unknown, integers: readonly { path: string; literal: string }[], count: number = integers.length) {
    const list = integers.map((n) => `${clip(n.path)} = ${clip(n.literal)} (delivered as ${Number(n.literal)})`).join(', ');
    const rest = count > integers.length ? ` and ${count - integers.length} more` : '';
    super(
      `${source}${id === undefined ? '' : ` (id ${typeof id === 'string' ? id : JSON.stringify(id)})`}: ${list}${rest}: beyond JavaScript's exact integers; connect with { integers: 'bigint' } to receive them exactly`,
    );
    this.source = source;
    this.id = id;
    this.integers = integers;
    this.count = count;
  }
}

/**
 * A reply or an event that does not match its schema (the `validate` option). For a reply, the
 * call rejects with it (the value that arrived is `value`); for an event, it is reported through
 * `onError` and the event is delivered as it came. `path`, `expected` and `received` describe the
 * first issue; `issues` lists them all.
 */
export class QmpValidationError extends Error {
  override name = 'QmpValidationError';
  /** The command whose reply it was; undefined for an event. */
  readonly command: string | undefined;
  /** The event's name; undefined for a reply. */
  readonly event: string | undefined;
  /** The command's id, for a reply. */
  readonly id: unknown;
  /** A JSON pointer into the reply's `return` or the event's `data` (`/status`). */
  readonly path: string;
  readonly expected: string;
  readonly received: unknown;
  readonly issues: readonly { path: string; expected: string; received: unknown }[];
  /** The reply's `return` or the event's `data`, as it arrived. */
  readonly value: unknown;

  constructor(
    subject: { command: string; id: unknown } | { event: string },
    issues: readonly { path: string; expected: string; received: unknown }[],
    value: unknown,
  ) {
    const first = issues[0]!;
    const where =
      'command' in subject
        ? `${subject.command} (id ${typeof subject.id === 'string' ? subject.id : JSON.stringify(subject.id)}): return`
        : `event ${subject.event}: data`;
    const rest = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      `${where}${first.path} ${first.expected}, received ${clip(describeValue(first.received))}${rest}: the reply does not match the schema it was validated against`,
    );
    this.command = 'command' in subject ? subject.command : undefined;
    this.event = 'event' in subject ? subject.event : undefined;
    this.id = 'command' in subject ? subject.id : undefined;
    this.path = first.path;
    this.expected = first.expected;
    this.received = first.received;
    this.issues = issues;
    this.value = value;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // a value read in bigint mode may hold bigints, which JSON.stringify refuses
  return JSON.stringify(value, (_key, member: unknown) => (typeof member === 'bigint' ? member.toString() : member));
}

/** A path or literal as a message shows it: a hostile one may be megabytes long. */
function clip(text: string): string {
  return text.length <= 120 ? text : `${text.slice(0, 60)}…(${text.length - 100} characters)…${text.slice(-40)}`;
}
