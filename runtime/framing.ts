/**
 * Splits the byte stream from the server into messages, as QEMU's own JSON streamer does: a
 * message is one JSON value. QEMU ends every message with a line feed (CRLF; the guest agent
 * LF), and by default writes it on one line, so the common case is a line that opens with `{`
 * and closes with `}`: found with `Buffer.indexOf` on whole chunks, decoded once, no per-byte
 * JavaScript. A monitor with `pretty=on` spreads each message over many lines; a line that
 * opens a value without closing it starts a message that goes on, line by line, until its
 * brackets balance (strings understood), and only those lines are scanned byte by byte.
 *
 * Bytes held between reads (a line not yet ended, the earlier lines of a value) live in one
 * buffer that grows by doubling up to the limit, so holding a message costs at most about twice
 * its size, however small the reads. Offsets count bytes from the start of the stream, so
 * faults can say where.
 */
import { QmpMessageTooLargeError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** The guest agent's sentinel byte, sent before the reply to `guest-sync-delimited`. */
export const DELIMITER = 0xff;
/** How many offending bytes an error keeps. */
export const EXCERPT_LENGTH = 200;
/** A held buffer larger than this is let go once its message is out (one huge reply should not pin memory). */
const KEEP_CAPACITY = 64 * 1024;

export type FrameHandler = (text: string, offset: number) => void;
export type FaultHandler = (error: QmpMessageTooLargeError) => void;
/** Bytes discarded while skipping to the delimiter, and the stream offset of the first. */
export type SkipHandler = (bytes: Buffer, offset: number) => void;

export class MessageFramer {
  /** Stream offset of the next chunk's first byte. */
  private received = 0;
  /** The message in progress: its earlier lines (in a multi-line value), then the line not yet ended. */
  private held = Buffer.alloc(0);
  private heldLength = 0;
  /** Stream offset of `held`'s first byte. */
  private heldOffset = 0;
  /** Where the line not yet ended starts in `held`. */
  private lineStart = 0;
  /** Inside a multi-line value: bracket depth and string state at the end of the held lines. */
  private inValue = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private skippingToDelimiter = false;
  private failed = false;

  constructor(
    private readonly maxLength: number,
    private readonly onFrame: FrameHandler,
    private readonly onFault: FaultHandler,
    private readonly onSkip?: SkipHandler,
  ) {}

  /** Bytes received so far. */
  get offset(): number {
    return this.received;
  }

  /** Memory held for the message in progress, in bytes (its buffer's capacity). */
  get heldCapacity(): number {
    return this.held.length;
  }

  /**
   * Discard everything up to and including the next 0xFF byte, the message in progress
   * included: the guest agent's way to resynchronise (`guest-sync-delimited`).
   */
  skipToDelimiter(): void {
    this.skippingToDelimiter = true;
    this.reset();
  }

  push(chunk: Buffer): void {
    const base = this.received;
    this.received += chunk.length;
    if (this.failed) return;
    let start = 0;
    if (this.skippingToDelimiter) {
      const at = chunk.indexOf(DELIMITER);
      this.onSkip?.(at === -1 ? chunk : chunk.subarray(0, at), base);
      if (at === -1 || this.failed) return;
      this.skippingToDelimiter = false;
      start = at + 1;
    }
    for (let end = chunk.indexOf(LF, start); end !== -1; end = chunk.indexOf(LF, start)) {
      if (this.heldLength === 0) this.line(chunk, start, end, base + start);
      else if (this.hold(chunk, start, end)) this.heldLine();
      if (this.failed) return;
      start = end + 1;
      // a frame handler switched modes mid-chunk: feed the rest of the chunk again
      if (this.skippingToDelimiter) return this.resume(chunk, start, base);
    }
    if (start < chunk.length) {
      if (this.heldLength === 0) this.heldOffset = base + start;
      this.hold(chunk, start, chunk.length);
    }
  }

  /** A whole line of `buffer` (`end` at its LF) with nothing held before it. */
  private line(buffer: Buffer, start: number, lineEnd: number, offset: number): void {
    const end = lineEnd > start && buffer[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (end === start) return; // a blank line carries nothing
    if (this.tooLong(end - start)) return this.fail(buffer.subarray(start, lineEnd), offset);
    const first = buffer[start];
    if ((first === 0x7b && buffer[end - 1] === 0x7d) || (first !== 0x7b && first !== 0x5b)) {
      // one line, one message (or no JSON at all: the parser says what is wrong at once)
      return this.onFrame(buffer.toString('utf8', start, end), offset);
    }
    if (this.scan(buffer, start, end)) return this.onFrame(buffer.toString('utf8', start, end), offset);
    // the first line of a value that goes on
    this.heldOffset = offset;
    this.inValue = true;
    this.hold(buffer, start, lineEnd); // its CR too: a frame is the bytes of the stream
    this.appendLineEnd();
  }

  /** The held bytes end a line: finish the message, or keep the line as part of one. */
  private heldLine(): void {
    if (!this.inValue) {
      // a line that arrived in pieces, now whole: frame it as any line
      const line = Buffer.from(this.held.subarray(0, this.heldLength));
      const offset = this.heldOffset;
      this.reset();
      return this.line(line, 0, line.length, offset);
    }
    const end = this.heldLength > this.lineStart && this.held[this.heldLength - 1] === CR ? this.heldLength - 1 : this.heldLength;
    if (!this.scan(this.held, this.lineStart, end)) return this.appendLineEnd();
    const text = this.held.toString('utf8', 0, end);
    const offset = this.heldOffset;
    this.reset();
    this.onFrame(text, offset);
  }

  /**
   * Follows brackets through `buffer[start, end)`, carrying the state between lines; true when
   * they balance (the value is complete).
   */
  private scan(buffer: Buffer, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      const byte = buffer[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) this.inString = true;
      else if (byte === 0x7b || byte === 0x5b) this.depth++;
      else if ((byte === 0x7d || byte === 0x5d) && --this.depth <= 0) return true;
    }
    return false;
  }

  /** Keeps `buffer[start, end)`; false (after a fault) when the message grows past the limit. */
  private hold(buffer: Buffer, start: number, end: number): boolean {
    const length = this.heldLength + (end - start);
    // one byte of slack: a CR before the LF is not part of the message
    if (this.tooLong(length - 1)) {
      const excerpt = Buffer.concat([
        this.held.subarray(0, Math.min(this.heldLength, EXCERPT_LENGTH)),
        buffer.subarray(start, Math.min(end, start + EXCERPT_LENGTH)),
      ]);
      this.fail(excerpt, this.heldOffset);
      return false;
    }
    if (length > this.held.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(length, this.held.length * 2, 256), this.maxLength + 2));
      this.held.copy(grown, 0, 0, this.heldLength);
      this.held = grown;
    }
    buffer.copy(this.held, this.heldLength, start, end);
    this.heldLength = length;
    return true;
  }

  /** The held line ends inside a value: keep its line feed (whitespace to JSON) and start the next. */
  private appendLineEnd(): void {
    if (this.hold(Buffer.of(LF), 0, 1)) this.lineStart = this.heldLength;
  }

  private reset(): void {
    this.heldLength = 0;
    this.lineStart = 0;
    this.inValue = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    if (this.held.length > KEEP_CAPACITY) this.held = Buffer.alloc(0);
  }

  private resume(chunk: Buffer, start: number, base: number): void {
    if (this.failed || start >= chunk.length) return;
    this.received = base + start;
    this.push(chunk.subarray(start));
  }

  /** Over the limit (the limit is on the message, not its line end). */
  private tooLong(length: number): boolean {
    return length > this.maxLength;
  }

  private fail(bytes: Buffer, offset: number): void {
    this.failed = true;
    this.reset();
    this.held = Buffer.alloc(0);
    this.onFault(new QmpMessageTooLargeError(this.maxLength, offset, bytes.toString('latin1', 0, Math.min(bytes.length, EXCERPT_LENGTH))));
  }
}
