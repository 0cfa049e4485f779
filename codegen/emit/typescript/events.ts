/**
 * Events → the `Events` map (`Events['STOP']` is the event's `data`), a message type per event, and
 * typed helpers to subscribe by name and to wait for the next event that matches a predicate.
 */
import { StructureKind, type StatementStructures } from './ts-morph.js';
import type { Event } from '../../ir/types.js';
import { pascalCase, propertyName } from './names.js';
import { jsDoc } from './tsdoc.js';
import { conditionNote, emptyObjectName, featureNotes, optionalDoc, type TypeContext } from './typerefs.js';

export interface EventBinding {
  event: Event;
  dataType: string;
}

export function bindEvent(ctx: TypeContext, event: Event): EventBinding {
  let dataType = emptyObjectName;
  if (event.dataType) dataType = ctx.nameOf(event.dataType.name);
  else if (event.data.length > 0) {
    dataType = ctx.hoist(`${pascalCase(event.name)}Data`, event.data, false, {
      docs: [{ kind: StructureKind.JSDoc, description: `The \`data\` of the \`${event.name}\` event.` }],
    });
  }
  return { event, dataType };
}

/** An interface, as `Commands` is. */
export function eventsMap(bindings: EventBinding[]): StatementStructures {
  return {
    kind: StructureKind.Interface,
    name: 'Events',
    isExported: true,
    docs: [
      {
        kind: StructureKind.JSDoc,
        description: `Every event of this target: \`Events[name]\` is the type of its \`data\` (\`${emptyObjectName}\` for events without data).`,
      },
    ],
    properties: bindings.map((b) => ({
      name: propertyName(b.event.name),
      type: b.dataType,
      docs: optionalDoc(
        jsDoc({
          doc: b.event.doc,
          since: b.event.since,
          deprecated: b.event.deprecated,
          examples: b.event.examples,
          extra: [...conditionNote(b.event.if), ...featureNotes(b.event.features)],
        }),
      ),
    })),
  };
}

/** The helpers are the same for every target; only the `Events` map they are typed by differs. */
export function eventHelpers(): StatementStructures[] {
  return [
    {
      kind: StructureKind.TypeAlias,
      name: 'EventName',
      isExported: true,
      type: 'keyof Events',
      docs: [{ kind: StructureKind.JSDoc, description: 'The name of any event of this target.' }],
    },
    {
      kind: StructureKind.TypeAlias,
      name: 'EventMessage',
      isExported: true,
      typeParameters: [{ name: 'K', constraint: 'EventName', default: 'EventName' }],
      type: 'K extends EventName ? QmpEventMessage<K, Events[K]> : never',
      docs: [
        {
          kind: StructureKind.JSDoc,
          description: 'A whole event message (`event`, `data`, `timestamp`); for several names, the union of their messages.',
        },
      ],
    },
    {
      kind: StructureKind.Function,
      name: 'onEvent',
      isExported: true,
      typeParameters: [{ name: 'K', constraint: 'EventName' }],
      parameters: [
        { name: 'client', type: 'QmpEventSource' },
        { name: 'name', type: 'K' },
        { name: 'handler', type: '(message: EventMessage<K>) => void' },
      ],
      returnType: '() => void',
      statements: ['return client.subscribe(name, handler as (message: QmpEventMessage) => void);'],
      docs: [
        {
          kind: StructureKind.JSDoc,
          description: 'Calls `handler` for every `name` event from now on.',
          tags: [{ kind: StructureKind.JSDocTag, tagName: 'returns', text: 'A function that unsubscribes.' }],
        },
      ],
    },
    {
      kind: StructureKind.Function,
      name: 'onAnyEvent',
      isExported: true,
      parameters: [
        { name: 'client', type: 'QmpEventSource' },
        { name: 'handler', type: '(message: EventMessage) => void' },
      ],
      returnType: '() => void',
      statements: ['return client.subscribe(undefined, handler as (message: QmpEventMessage) => void);'],
      docs: [
        {
          kind: StructureKind.JSDoc,
          description: 'Calls `handler` for every event from now on.',
          tags: [{ kind: StructureKind.JSDocTag, tagName: 'returns', text: 'A function that unsubscribes.' }],
        },
      ],
    },
    {
      kind: StructureKind.Function,
      name: 'waitForEvent',
      isExported: true,
      typeParameters: [{ name: 'K', constraint: 'EventName' }],
      parameters: [
        { name: 'client', type: 'QmpEventSource' },
        { name: 'name', type: 'K' },
        { name: 'options', type: 'WaitForEventOptions<EventMessage<K>>', hasQuestionToken: true },
      ],
      returnType: 'Promise<EventMessage<K>>',
      statements: ['return nextEvent(client, name, options as WaitForEventOptions<QmpEventMessage>) as Promise<EventMessage<K>>;'],
      docs: [
        {
          kind: StructureKind.JSDoc,
          description:
            'Resolves with the next `name` event that passes `options.filter` (any, without one); ' +
            'rejects on `options.timeout` (ms) or when `options.signal` aborts. Subscribes at once: call it ' +
            'before the command that causes the event, await it after.',
        },
      ],
    },
  ];
}
