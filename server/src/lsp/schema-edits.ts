/**
 * Tells which edits to open .sql documents can change the workspace schema, so typing in a file of
 * queries does not re-read every migration. A document counts while its text has DDL, and for the
 * one edit after its DDL is removed (the schema must forget what it declared).
 */
const DDL = /\b(?:create|alter|drop|comment\s+on)\b/i;

export class SchemaEdits {
  private readonly withDdl = new Set<string>();

  /** Records a document's text; true when this text or the previous one declares schema. */
  affectsSchema(uri: string, text: string): boolean {
    const had = this.withDdl.has(uri);
    const has = DDL.test(text);
    if (has) this.withDdl.add(uri);
    else this.withDdl.delete(uri);
    return had || has;
  }

  forget(uri: string): boolean {
    return this.withDdl.delete(uri);
  }
}
