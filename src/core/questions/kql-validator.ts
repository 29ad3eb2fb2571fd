/**
 * Checks KQL before it runs: the built query must parse and bind against the workspace schema.
 * The implementation with the official Kusto parser is src/kql/validator.ts; core only knows this
 * interface (dependencies point inward).
 */

export type KqlValidation = { ok: true } | { ok: false; errors: string[] };

export interface KqlValidator {
  /** Parse errors and schema errors (unknown table or column, type mismatch) of `kql`, one line each. */
  validate(kql: string): KqlValidation;
}
