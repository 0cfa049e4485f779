/**
 * Formats emitted TypeScript with prettier. Loaded lazily: a regeneration that finds nothing
 * changed never pays for prettier's start-up.
 */
import type { Options } from 'prettier';

/** The one prettier configuration for generated code; changing it changes every target's bytes. */
export const prettierOptions: Options = {
  parser: 'typescript',
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  proseWrap: 'preserve',
};

export async function formatTypeScript(text: string, file: string): Promise<string> {
  const prettier = await import('prettier');
  try {
    return await prettier.format(text, { ...prettierOptions, filepath: file });
  } catch (error) {
    // A syntax error here is the emitter's bug; name the file so the generated text can be inspected.
    throw new Error(`prettier could not format generated ${file}: ${(error as Error).message}`);
  }
}
