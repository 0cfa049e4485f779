/** Typed access to condition.peggy: an old-style `if` string → a Condition, or why it is not one. */
import type { Condition } from '../../ir/types.js';
import { parse, SyntaxError as PeggySyntaxError } from './condition.parser.js';

export function parseConditionText(text: string): Condition | { error: string } {
  try {
    return parse(text) as Condition;
  } catch (error) {
    if (error instanceof PeggySyntaxError) return { error: error.message };
    throw error;
  }
}
