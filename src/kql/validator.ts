/**
 * KqlValidator with the official Kusto parser (Kusto.Language) and the workspace schema: a query
 * is valid when it is a query (not a management command such as `.drop table`) and analysing it
 * reports no error. Warnings do not fail it.
 */
import type { KqlValidation, KqlValidator } from '../core/questions/kql-validator.ts';
import { analyze, nodeKind } from './kusto.ts';

export class OfficialKqlValidator implements KqlValidator {
  validate(kql: string): KqlValidation {
    const { code, diagnostics } = analyze(kql);
    const errors = diagnostics
      .filter((d) => d.severity === 'Error')
      .map((d) => `line ${d.line}, column ${d.column}: ${d.message} (${d.code})`);
    const kind = nodeKind(code.Syntax);
    if (kind !== 'QueryBlock') errors.unshift(`not a query (${kind})`);
    return errors.length === 0 ? { ok: true } : { ok: false, errors };
  }
}

/** One validator for the process: the parser and the schema load once, on first use. */
export const kqlValidator: KqlValidator = new OfficialKqlValidator();
