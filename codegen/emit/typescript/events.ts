/**
 * Events → the `Events` map (`Events['STOP']` is the event's `data`), a message type per event, and
 * typed helpers to subscribe by name and to wait for the next event that matches a predicate.
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from './ts-morph.js';
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
      type: 'EventMessageOf<Events, K>',
      docs: [
        {
          kind: StructureKind.JSDoc,
          description: 'A whole event message (`event`, `data`, `timestamp`); for several names, the union of their messages.',
        },
      ],
    },
    helper('onEvent', 'subscribeToEvent as OnEvent<Events>', 'Calls `handler` for every `name` event from now on.', 'A function that unsubscribes.'),
    helper('onAnyEvent', 'subscribeToEvents as OnAnyEvent<Events>', 'Calls `handler` for every event from now on.', 'A function that unsubscribes.'),
    helper(
      'waitForEvent',
      'nextEvent as WaitForEvent<Events>',
      'Resolves with the next `name` event that passes `options.filter` (any, without one); ' +
        'rejects on `options.timeout` (ms) or when `options.signal` aborts. Subscribes at once: call it ' +
        'before the command that causes the event, await it after.',
    ),
  ];
}

/** `export const name = runtimeFunction as Type<Events>;`: the runtime's helper, typed by this target's map. */
function helper(name: string, initializer: string, description: string, returns?: string): StatementStructures {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
    docs: [
      {
        kind: StructureKind.JSDoc,
        description,
        tags: returns === undefined ? [] : [{ kind: StructureKind.JSDocTag, tagName: 'returns', text: returns }],
      },
    ],
  };
}
