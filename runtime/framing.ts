/**
 * Splits the byte stream from the server into messages. QMP servers end every message with a
 * line feed (QEMU sends CRLF, the guest agent LF) and never put one inside a message, so a
 * message is a line: found with `Buffer.indexOf` on whole chunks, decoded once, no per-byte
 * JavaScript. Offsets count bytes from the start of the stream, so faults can say where.
 */
import { QmpMessageTooLargeError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;
/** The guest agent's sentinel byte, sent before the reply to `guest-sync-delimited`. */
export const DELIMITER = 0xff;
/** How many offending bytes an error keeps. */
export const EXCERPT_LENGTH = 200;

export type FrameHandler = (text: string, offset: number) => void;
export type FaultHandler = (error: QmpMessageTooLargeError) => void;

export class LineFramer {
  /** Stream offset of the next chunk's first byte. */
  private received = 0;
  /** The pieces of a line not yet terminated (copies: a chunk is not kept alive for them). */
  private partial: Buffer[] = [];
  private partialLength = 0;
  private partialOffset = 0;
  private skippingToDelimiter = false;
  private failed = false;

  constructor(
    private readonly maxLength: number,
    private readonly onFrame: FrameHandler,
    private readonly onFault: FaultHandler,
  ) {}

  /** Bytes received so far. */
  get offset(): number {
    return this.received;
  }

  /**
   * Discard everything up to and including the next 0xFF byte, partial line included: the
   * guest agent's way to resynchronise (`guest-sync-delimited`).
   */
  skipToDelimiter(): void {
    this.skippingToDelimiter = true;
    this.dropPartial();
  }

  push(chunk: Buffer): void {
    const base = this.received;
    this.received += chunk.length;
    if (this.failed) return;
    let start = 0;
    if (this.skippingToDelimiter) {
      const at = chunk.indexOf(DELIMITER);
      if (at === -1) return;
      this.skippingToDelimiter = false;
      start = at + 1;
    }
    let end = chunk.indexOf(LF, start);
    if (this.partialLength > 0) {
      const offset = this.partialOffset;
      if (end === -1) {
        this.keepPartial(chunk, start, offset);
        if (this.partialLength > this.maxLength + 1) this.fail(Buffer.concat(this.partial, Math.min(this.partialLength, EXCERPT_LENGTH)), offset);
        return;
      }
      this.partial.push(chunk.subarray(start, end));
      const line = Buffer.concat(this.partial, this.partialLength + (end - start));
      if (line.length > this.maxLength && this.tooLong(line, 0, line.length)) return this.fail(line, offset);
      this.dropPartial();
      this.emit(line, 0, line.length, offset);
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    while (end !== -1) {
      if (this.failed || this.skippingToDelimiter) return this.resume(chunk, start, base);
      if (end - start > this.maxLength && this.tooLong(chunk, start, end)) return this.fail(chunk.subarray(start, end), base + start);
      this.emit(chunk, start, end, base + start);
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (this.failed || this.skippingToDelimiter) return this.resume(chunk, start, base);
    if (start < chunk.length) {
      if (chunk.length - start > this.maxLength + 1) return this.fail(chunk.subarray(start), base + start);
      this.keepPartial(chunk, start, base + start);
    }
  }

  private keepPartial(chunk: Buffer, start: number, offset: number): void {
    if (this.partialLength === 0) this.partialOffset = offset;
    this.partial.push(Buffer.from(chunk.subarray(start)));
    this.partialLength += chunk.length - start;
  }

  private dropPartial(): void {
    this.partial.length = 0;
    this.partialLength = 0;
  }

  /** A frame handler switched modes mid-chunk: feed the rest of the chunk again. */
  private resume(chunk: Buffer, start: number, base: number): void {
    if (this.failed || start >= chunk.length) return;
    this.received = base + start;
    this.push(chunk.subarray(start));
  }

  /** Over the limit, not counting a CR before the LF (the limit is on the message, not its line end). */
  private tooLong(buffer: Buffer, start: number, end: number): boolean {
    return end - start - (buffer[end - 1] === CR ? 1 : 0) > this.maxLength;
  }

  private emit(buffer: Buffer, start: number, end: number, offset: number): void {
    if (end > start && buffer[end - 1] === CR) end--;
    if (end === start) return; // a blank line carries nothing
    this.onFrame(buffer.toString('utf8', start, end), offset);
  }

  private fail(bytes: Buffer, offset: number): void {
    this.failed = true;
    this.dropPartial();
    this.onFault(new QmpMessageTooLargeError(this.maxLength, offset, bytes.toString('latin1', 0, Math.min(bytes.length, EXCERPT_LENGTH))));
  }
}
