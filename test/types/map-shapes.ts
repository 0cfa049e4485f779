// Every committed target's maps have the shape the runtime reads them by (`CommandMapOf`,
// `EventMapOf`): `QmpClient` no longer constrains its parameters to it (see runtime/types.ts), so
// this is where a generator change that broke the shape would show. Checked by types.test.ts.
import type { CommandMapOf, EventMapOf } from '../../runtime/index.js';
import type * as qemu28 from '../../generated/qemu-2.8.0/index.js';
import type * as qemu72 from '../../generated/qemu-7.2.0/index.js';
import type * as qemu1002 from '../../generated/qemu-10.0.2/index.js';
import type * as qemu102 from '../../generated/qemu-10.2.0/index.js';
import type * as qga72 from '../../generated/qga-7.2.0/index.js';
import type * as qga1002 from '../../generated/qga-10.0.2/index.js';
import type * as qga102 from '../../generated/qga-10.2.0/index.js';

type Conforms<T extends Shape, Shape> = T;

export type CheckedMaps = [
  Conforms<qemu28.Commands, CommandMapOf<qemu28.Commands>>,
  Conforms<qemu28.Events, EventMapOf<qemu28.Events>>,
  Conforms<qemu72.Commands, CommandMapOf<qemu72.Commands>>,
  Conforms<qemu72.Events, EventMapOf<qemu72.Events>>,
  Conforms<qemu1002.Commands, CommandMapOf<qemu1002.Commands>>,
  Conforms<qemu1002.Events, EventMapOf<qemu1002.Events>>,
  Conforms<qemu102.Commands, CommandMapOf<qemu102.Commands>>,
  Conforms<qemu102.Events, EventMapOf<qemu102.Events>>,
  Conforms<qga72.Commands, CommandMapOf<qga72.Commands>>,
  Conforms<qga1002.Commands, CommandMapOf<qga1002.Commands>>,
  Conforms<qga102.Commands, CommandMapOf<qga102.Commands>>,
];

interface Misshapen {
  good: { args: { a: number }; returns: string };
  bad: { returns: string };
}
// @ts-expect-error -- an entry without `args` does not conform
export type RejectsMisshapen = Conforms<Misshapen, CommandMapOf<Misshapen>>;
