/**
 * The custom part of the protocol between the pglens language server and its clients, beyond plain
 * LSP. Plain-LSP editors get diagnostics, hover and code actions without any of this.
 */

/** Server → client notification: where plans come from right now. The status bar shows it. */
export const STATUS_NOTIFICATION = 'pglens/status';

export interface DatabaseStatus {
  state: 'none' | 'connecting' | 'connected' | 'failed' | 'embedded';
  /** Short, for a status bar: `shop@localhost`, `sandbox`, `disconnected`. Never holds a password. */
  label: string;
  /** One sentence for a tooltip or message: the server version, or why connecting failed and what to do. */
  detail?: string;
}

/** Client → server request: the plan of the query at a position, for the plan view. */
export const PLAN_REQUEST = 'pglens/plan';

export interface PlanRequestParams {
  uri: string;
  position: { line: number; character: number };
  /** Run EXPLAIN ANALYZE (SELECTs read-only; writes only as the settings allow). */
  analyze: boolean;
}

export interface PlanResponse {
  /** The query as sent to the database. */
  query: string;
  /** Raw EXPLAIN (FORMAT JSON) output. */
  planJson: unknown;
  analyzed: boolean;
  /** Where the plan came from: `shop@localhost, PostgreSQL 15.20`, `sandbox (PGlite, PostgreSQL 18)`. */
  database: string;
  /** Findings on this query (plan findings and static ones). */
  findings: import('./finding').Finding[];
  /** Verified index suggestions, when the advisor ran. */
  suggestions: IndexSuggestionSummary[];
}

export interface IndexSuggestionSummary {
  ddl: string;
  table: string;
  kind: 'single' | 'composite' | 'partial' | 'covering' | 'expression';
  costBefore: number;
  costAfter: number;
  sizeBytes: number;
}

/**
 * Server commands (workspace/executeCommand). Their ids live under `pglens.server.` because VS Code's
 * language client registers every server command as an editor command, and the palette commands the
 * extension contributes (`pglens.explainQuery`, …) must not collide with them.
 * Arguments are positional, as LSP command links need:
 * - `pglens.server.explain` [uri, position, analyze?]: returns the plan summary as Markdown.
 * - `pglens.server.suggestIndexes` []: runs the advisor over the workspace; returns IndexSuggestionSummary[].
 * - `pglens.server.reanalyze` []: reloads the schema and re-analyses open documents.
 * - `pglens.server.setDatabaseUrl` [url | null]: connects to a database (the client keeps the URL in SecretStorage).
 */
export const SERVER_COMMANDS = {
  explain: 'pglens.server.explain',
  suggestIndexes: 'pglens.server.suggestIndexes',
  reanalyze: 'pglens.server.reanalyze',
  setDatabaseUrl: 'pglens.server.setDatabaseUrl',
} as const;
