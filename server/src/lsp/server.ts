import { SERVER_COMMANDS, STATUS_NOTIFICATION } from '../protocol';
import { existsSync } from 'node:fs';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ResponseError,
  ErrorCodes,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../../../package.json';
import { analyzeDocument, type DocumentAnalysis } from '../analyze';
import { runPlanStage } from '../analysis/plan-stage';
import { planRulesOn } from '../analysis/plan-settings';
import { EMPTY_CATALOG } from '../schema/catalog';
import { layeredCatalog } from '../schema/layered-catalog';
import { loadParser } from '../sql/parse';
import { abortSignalOf } from './cancellation';
import { readClientSupport, workspaceRoots, type ClientSupport } from './client-support';
import { codeActions } from './code-actions';
import { CommandRegistry } from './commands';
import { DatabaseService } from './database-service';
import { documentDiagnostics } from './document-diagnostics';
import { CHECKED_TEXT_DOCUMENTS } from './document-sync';
import { identifyDocument } from './document-identity';
import { guarded } from './guard';
import { HOVER_SECTIONS, queryHover, type HoverSection } from './hover';
import { connectionLogger, describeError, type Logger } from './log';
import { SkippedNotices } from './notices';
import { registerPlanCommands } from './plan-commands';
import { planHoverSection } from './plan-hover';
import { registerIndexSuggestions } from './index-suggestions';
import { AnalysisScheduler } from './scheduler';
import { CodeIndexService } from './code-index-service';
import { loopHover } from './loop-hover';
import { SchemaEdits } from './schema-edits';
import { SettingsStore } from './settings-store';
import { WorkspaceSchema } from './workspace-schema';

/** Re-reads the workspace schema and re-analyses every open document. */
export const REANALYZE_COMMAND = SERVER_COMMANDS.reanalyze;

/** The running server's parts, for features that plug in (commands, hover sections, re-analysis). */
export interface PglensServer {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  scheduler: AnalysisScheduler;
  settings: SettingsStore;
  /** Register commands before the client sends initialize: their ids are advertised in its answer. */
  commands: CommandRegistry;
  /** Hover sections in order; append to add one. */
  hoverSections: HoverSection[];
  /** The workspace schema; undefined until initialize. */
  schema(): WorkspaceSchema | undefined;
  /** The database plans come from (a server or the embedded sandbox), with its status. */
  database: DatabaseService;
  log: Logger;
}

/**
 * Wires the engine to an LSP connection: documents in (full sync), diagnostics out (debounced,
 * versioned), hover and code actions on the latest analysis, settings and workspace schema kept fresh.
 * Every handler is guarded: a failure is logged and answered with an empty result (a command's
 * ResponseError, which says why it could not run, still reaches the client).
 */
export function createServer(connection: Connection): PglensServer {
  const log = connectionLogger(connection);
  const documents = new TextDocuments(CHECKED_TEXT_DOCUMENTS);
  const commands = new CommandRegistry();
  const hoverSections = [...HOVER_SECTIONS];
  // window/showMessage (a notification), not showMessageRequest: nothing waits for the user to answer.
  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  const notices = new SkippedNotices(warn);
  let support: ClientSupport = readClientSupport({});
  let schema: WorkspaceSchema | undefined;
  let roots: string[] = [];
  // The URL the client keeps (VS Code: SecretStorage), from initializationOptions or setDatabaseUrl.
  let clientUrl: string | undefined;

  const settings = new SettingsStore({
    pull: async () => (support.configuration ? connection.workspace.getConfiguration({ section: 'pglens' }) : undefined),
    warn,
    log,
  });

  const database = new DatabaseService({
    log,
    sendStatus: (status) => void connection.sendNotification(STATUS_NOTIFICATION, status),
    showError: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message }),
    reanalyze: () => void scheduler.reanalyze(),
    replan: () => scheduler.refineAgain(),
  });
  const openDocuments = () => documents.all().map((document) => ({ uri: document.uri, file: identifyDocument(document.uri, document.languageId).file }));
  const loops = new CodeIndexService({ log, reanalyze: (uris) => void scheduler.reanalyze(uris), openDocuments });
  const configureDatabase = (reconnect = false) => database.configure({ settings: settings.current, clientUrl, roots }, reconnect);

  const scheduler = new AnalysisScheduler({
    documents,
    debounceMs: () => settings.current.debounceMs,
    log,
    analyze: async (document, token): Promise<DocumentAnalysis> => {
      // A client that opens documents before initialize has finished must not find the parser unloaded.
      await loadParser();
      await schema?.ready;
      const identity = identifyDocument(document.uri, document.languageId);
      if (token.isCancellationRequested) return { file: identity.file, findings: [], statements: [], ruleErrors: [] };
      const workspaceCatalog = schema?.catalog ?? EMPTY_CATALOG;
      // A connected server's catalog wins for the rules; static analysis never waits for it.
      const serverCatalog = database.rulesCatalog;
      const text = document.getText();
      const analysis = analyzeDocument(identity.file, text, {
        catalog: serverCatalog ? layeredCatalog(serverCatalog, workspaceCatalog) : workspaceCatalog,
        settings: settings.current,
      });
      if (identity.kind === 'script' && !analysis.skipped) {
        loops.documentChanged(identity.file, document.uri, text);
        analysis.findings.push(...loops.findingsFor(identity.file));
      }
      for (const { code, error } of analysis.ruleErrors) log.error(`pglens: rule ${code} failed on ${document.uri}`, error);
      return analysis;
    },
    // The plan stage: after the static diagnostics are out, plan findings join them.
    refine: async (document, analysis, token) => {
      if (analysis.statements.length === 0) return undefined;
      database.ensure();
      const available = database.available;
      if (!available || !planRulesOn(settings.current)) return undefined;
      const cancel = abortSignalOf(token);
      try {
        const catalog = await available.catalog();
        const stage = await runPlanStage(analysis, document.getText(), {
          explain: database.explainInBackground,
          settings: settings.current,
          catalog,
          signal: cancel.signal,
          concurrency: settings.current.database.maxConnections,
        });
        if (stage.stopped === 'cancelled') return undefined;
        const advice = await indexSuggestions.findings(analysis, document.getText(), stage.plans, cancel.signal);
        if (stage.findings.length === 0 && advice.length === 0) return undefined;
        return { ...analysis, findings: [...analysis.findings, ...stage.findings, ...advice] };
      } finally {
        cancel.dispose();
      }
    },
    publish: (document, result) => {
      const identity = identifyDocument(document.uri, document.languageId);
      if (result.analysis.skipped) notices.skipped(document.uri, result.analysis.skipped);
      void connection.sendDiagnostics({
        uri: document.uri,
        version: result.version,
        diagnostics: documentDiagnostics(result.analysis, document, identity),
      });
    },
  });

  const isSql = (document: TextDocument) => identifyDocument(document.uri, document.languageId).kind === 'sql';
  const schemaDelay = () => Math.max(settings.current.debounceMs, 500);
  const openSqlTexts = () =>
    new Map(
      documents
        .all()
        .filter((document) => document.uri.startsWith('file:') && isSql(document))
        .map((document) => [identifyDocument(document.uri).file, document.getText()] as const),
    );

  commands.register(REANALYZE_COMMAND, async () => {
    await schema?.reload(false);
    await scheduler.reanalyze();
  });
  registerPlanCommands({
    connection,
    commands,
    scheduler,
    database,
    settings: () => settings.current,
    suggestions: (sql) => indexSuggestions.summaries(sql),
    setClientUrl: (url) => {
      clientUrl = url;
      return configureDatabase(true);
    },
    log,
  });
  hoverSections.push(planHoverSection(database, () => settings.current));
  const indexSuggestions = registerIndexSuggestions({
    pullSettings: async () => (support.configuration ? connection.workspace.getConfiguration({ section: 'pglens' }) : undefined),
    commands, hoverSections, database, settings: () => settings.current, roots: () => roots, log,
  });

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    try {
      await loadParser();
    } catch (error) {
      log.error('pglens: loading the SQL parser failed', error);
      throw new ResponseError(ErrorCodes.InternalError, `pglens could not load its SQL parser (${describeError(error)}); reinstall the extension.`);
    }
    support = readClientSupport(params.capabilities);
    const { databaseUrl, ...options } = splitDatabaseUrl(params.initializationOptions);
    clientUrl = databaseUrl;
    settings.initialize(options);
    roots = workspaceRoots(params);
    loops.configure(settings.current);
    void loops.indexWorkspace(roots);
    schema = new WorkspaceSchema({
      roots,
      openSqlTexts,
      onReloaded: () => void scheduler.reanalyze(),
      log,
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: commands.ids() },
      },
      serverInfo: { name: 'pglens', version: packageJson.version },
    };
  });

  connection.onInitialized(
    guarded(log, 'initialized', undefined, async () => {
      if (support.configurationRegistration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'pglens' });
      }
      if (support.watchedFilesRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          // SQL for the schema, code for the query-in-loop index, .env for DATABASE_URL.
          watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: '**/.env' }],
        });
      }
      const before = JSON.stringify(settings.current);
      const after = await settings.refresh();
      loops.configure(after);
      await configureDatabase();
      if (JSON.stringify(after) !== before) await scheduler.reanalyze();
    }),
  );

  connection.onDidChangeConfiguration(
    guarded(log, 'didChangeConfiguration', undefined, async (params) => {
      loops.configure(await settings.refresh(pglensSection(params.settings)));
      await configureDatabase();
      await scheduler.reanalyze();
    }),
  );

  // Open fires onDidOpen and then onDidChangeContent for the same version; the scheduler runs it once.
  const opening = new Set<string>();
  const schemaEdits = new SchemaEdits();
  documents.onDidOpen(
    guarded(log, 'didOpen', undefined, ({ document }) => {
      opening.add(document.uri);
      if (isSql(document)) schemaEdits.affectsSchema(document.uri, document.getText());
      scheduler.schedule(document.uri, 'now');
    }),
  );
  documents.onDidChangeContent(
    guarded(log, 'didChange', undefined, ({ document }) => {
      if (opening.delete(document.uri)) return;
      scheduler.schedule(document.uri, 'debounced');
      if (isSql(document) && schemaEdits.affectsSchema(document.uri, document.getText())) schema?.scheduleReload(schemaDelay());
    }),
  );
  documents.onDidSave(
    guarded(log, 'didSave', undefined, ({ document }) => {
      if (isSql(document)) schema?.scheduleReload(50);
    }),
  );
  documents.onDidClose(
    guarded(log, 'didClose', undefined, ({ document }) => {
      opening.delete(document.uri);
      scheduler.forget(document.uri);
      notices.forget(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      // Unsaved schema edits in the closed editor no longer count; the disk does again.
      if (schemaEdits.forget(document.uri) || (isSql(document) && document.version > 1)) schema?.scheduleReload(schemaDelay());
    }),
  );

  connection.onDidChangeWatchedFiles(
    guarded(log, 'didChangeWatchedFiles', undefined, ({ changes }) => {
      if (changes.some((change) => /\.sql$/i.test(change.uri))) schema?.scheduleReload(100);
      // DATABASE_URL may have changed: the database is resolved again (and replaced only if it did).
      if (changes.some((change) => /\/\.env$/.test(change.uri))) void configureDatabase();
      for (const change of changes.filter((change) => !/\/\.env$/.test(change.uri))) {
        // Open documents reach the index through their analysis; the disk speaks for the others.
        if (documents.get(change.uri)) continue;
        void loops.fileChangedOnDisk(identifyDocument(change.uri).file, change.type === FileChangeType.Deleted);
      }
    }),
  );

  connection.onHover(
    guarded(log, 'hover', null, async (params, token: CancellationToken) => {
      const result = await scheduler.analysisFor(params.textDocument.uri);
      if (!result || token.isCancellationRequested) return null;
      const hover = await queryHover(result.document, result.analysis, params.position, { sections: hoverSections, token, log });
      return hover ?? loopHover(result.document, result.analysis, params.position);
    }),
  );

  connection.onCodeAction(
    guarded(log, 'codeAction', [], (params) => {
      const uri: unknown = params?.textDocument?.uri;
      const document = typeof uri === 'string' ? documents.get(uri) : undefined;
      if (!document) return [];
      return codeActions(params, {
        document,
        identity: identifyDocument(document.uri, document.languageId),
        support: support.edit,
        versionOf: (uri) => documents.get(uri)?.version ?? null,
        exists: (file) => existsSync(file),
      });
    }),
  );

  connection.onExecuteCommand(async (params, token: CancellationToken) => {
    try {
      return await commands.execute(params.command, params.arguments ?? [], token);
    } catch (error) {
      // A ResponseError is the command's answer (no database to plan on, the connection lost mid-EXPLAIN):
      // the client shows it, the log keeps it. Null would read as "there is no query there".
      if (error instanceof ResponseError) {
        log.info(`pglens: ${params.command}: ${error.message}`);
        throw error;
      }
      log.error('pglens: executeCommand failed', error);
      return null;
    }
  });

  connection.onShutdown(async () => {
    scheduler.dispose();
    schema?.dispose();
    await database.dispose();
  });

  documents.listen(connection);
  return { connection, documents, scheduler, settings, commands, hoverSections, schema: () => schema, database, log };
}

/**
 * `initializationOptions.databaseUrl` is the client's URL (VS Code keeps it in SecretStorage), not a
 * setting: it is taken apart so `pglens.databaseUrl` means only what a client's settings say.
 */
function splitDatabaseUrl(options: unknown): { databaseUrl?: string } & Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return {};
  const { databaseUrl, ...rest } = options as Record<string, unknown>;
  return typeof databaseUrl === 'string' && databaseUrl.trim() ? { ...rest, databaseUrl: databaseUrl.trim() } : rest;
}

/** The `pglens` section of a pushed configuration (`{ pglens: {…} }`); undefined in the pull model. */
function pglensSection(settings: unknown): unknown {
  if (typeof settings !== 'object' || settings === null) return undefined;
  return (settings as Record<string, unknown>).pglens;
}
