/**
 * The QMP runtime: what the generated bindings call, and what applications use to talk to
 * QEMU. Node built-ins only; knows nothing of the code generator.
 */
// Its typings use Node's (sockets, streams, processes); loaded first, they also make a
// consumer's tsc parse the runtime's faster (see codegen/emit/typescript/target.ts).
/// <reference types="node" preserve="true" />
export type {
  CallOptions,
  QmpEventMessage,
  QmpCaller,
  QmpEventSource,
  ClientMode,
  InMode,
  WithBigints,
  WideInteger,
  Int64,
  Uint64,
  Size,
  CommandMapOf,
  EventMapOf,
  ArgsOf,
  ReturnsOf,
  UntypedCommands,
  UntypedEvents,
  ExecuteParameters,
  EventMessageOf,
  EventFilterOptions,
  NameOf,
} from './types.js';
export {
  QmpError,
  ConnectionClosedError,
  QmpTimeoutError,
  QmpProtocolError,
  QmpMessageTooLargeError,
  QmpEventOverflowError,
  QmpPrecisionWarning,
  QmpPendingLimitError,
  QmpValidationError,
} from './errors.js';
export { FdPassingError, FdPassingUnavailableError, FD_PASSING_MODULE } from './fd-passing.js';
export { schemaValidator, type MessageValidator, type ValidationIssue, type SchemaCompiler, type CompiledSchema, type TargetJsonSchema } from './validation.js';
export { QmpClient, type ConnectOptions, type ClientState, type StateChange, type WaitForEventOptions } from './client.js';
export type { EventStream } from './event-stream.js';
export type { QmpGreeting, QemuVersion } from './greeting.js';
export type { ConnectTarget, TcpAddress, TlsOptions, StreamPair } from './transport.js';
export type { ReconnectOptions } from './reconnect.js';
export { nextEvent } from './next-event.js';
export { toJson, parseJsonExactly } from './json.js';
export { subscribeToEvent, subscribeToEvents, type OnEvent, type OnAnyEvent, type WaitForEvent } from './event-helpers.js';
export { QgaClient, NO_REPLY_ON_SUCCESS, type QgaConnectOptions } from './qga.js';
export { QmpServer, type ListenAddress, type ServerOptions, type AcceptOptions } from './server.js';
export { launchQemu, QemuProcess, QemuLaunchError, DEFAULT_QEMU_ARGS, type LaunchOptions, type LaunchFd, type QemuExit } from './launch.js';
