// Live diagnostics: each open TS/JS/YAML/JSON/.env document is analysed when it opens and, debounced,
// as the user types. Only the changed document is re-analysed. The typing path asks core to defer the fixes it
// offers lazily (diagnostics need no edits); the first code-action request on a version analyses it again with
// every fix, and that result is kept with the findings (vscode-eslint style) so code actions reuse exactly what
// core computed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Core from '../../core/index';
import type { Finding, KeywayConfig, ParameterKind, ProjectContext } from '../../core/types';
import { loadCore } from '../lazy';
import type { Log } from '../log';
import type { ExplorerSession } from '../session';
import { toDiagnostic, toRange } from './convert';

/** Diagnostic code of a name the code reads that is missing in the connected account (an editor-only check). */
export const MISSING_NAME = 'missing-name';

function findSecretByArn(idx: { get(name: string): unknown }, id: string): unknown {
  // A secret may be read by ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>-XXXXXX
  const m = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(id);
  return m ? idx.get(m[1]) : undefined;
}

/**
 * Typing debounce, adapted per document: 1.5× its last analysis time, between 20 and 300 ms. A fast file
 * gets diagnostics almost at once; a slow one is not re-analysed on every keystroke.
 */
const MIN_DEBOUNCE_MS = 20;
const MAX_DEBOUNCE_MS = 300;

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('keyway');
  /** Per open document: the findings of its last analysed version; `complete` once their fixes are computed. */
  private readonly findings = new Map<string, { version: number; findings: Finding[]; complete: boolean }>();
  /** Findings of the last workspace scan, by file URI: shown for files that are not open. */
  private readonly scanned = new Map<string, Finding[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastMs = new Map<string, number>();
  /** The parse problem last written to the log per document, so typing does not repeat it. */
  private readonly parseLogged = new Map<string, string>();
  /** When the last analysis of each document started (performance.now()). */
  private readonly lastRun = new Map<string, number>();
  private readonly configs = new Map<string, { config: KeywayConfig; errors: string[] }>();
  private readonly subs: vscode.Disposable[] = [];
  private project?: Core.FsProjectContext;
  private readonly analyzed = new vscode.EventEmitter<vscode.Uri>();
  /** Fired after a document's diagnostics were updated (tests and benchmarks wait on it). */
  readonly onDidAnalyze = this.analyzed.event;

  constructor(private readonly log: Log, private readonly session: ExplorerSession) {
    this.subs.push(
      this.collection,
      this.analyzed,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.onEdit(e.document); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => { if (path.basename(d.fileName) === 'package.json') this.project = undefined; }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('keyway.rules') || e.affectsConfiguration('keyway.diagnostics')) this.reanalyzeAll(); }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.keywayrc.json,package.json}');
    const reset = () => { this.configs.clear(); this.project = undefined; this.reanalyzeAll(); };
    this.subs.push(watcher, watcher.onDidChange(reset), watcher.onDidCreate(reset), watcher.onDidDelete(reset));
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    // Name checks need the index: re-check open documents when a listing completes or the connection changes.
    let lastStatus = '';
    this.subs.push(
      session.onDidUpdate(() => {
        const cur = session.current;
        const status = cur ? `${cur.connection.instance}:${cur.index.parameters.status}:${cur.index.secrets.status}` : '';
        if (status !== lastStatus && /complete/.test(status)) this.reanalyzeAll();
        lastStatus = status;
      }),
      session.onDidSwitch(() => this.reanalyzeAll()),
    );
  }

  static supports(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
    return /\.(?:[cm]?[jt]sx?|ya?ml|json)$/i.test(doc.fileName) || /(^|[\\/])\.env(\.[^\\/]*)?$/.test(doc.fileName);
  }

  /** The findings (with fixes) of a document's current text: analysed now if the last result is stale. */
  async findingsFor(doc: vscode.TextDocument): Promise<Finding[]> {
    const key = doc.uri.toString();
    let entry = this.findings.get(key);
    if (!entry || entry.version !== doc.version) {
      await this.analyze(doc);
      entry = this.findings.get(key);
      if (!entry || entry.version !== doc.version) return [];
    }
    if (entry.complete) return entry.findings;
    if (!entry.findings.some((f) => f.fixesDeferred)) {
      entry.complete = true;
      return entry.findings;
    }
    // The fixes were deferred on the typing path: compute them now, for this version.
    const version = doc.version;
    const core = await loadCore();
    if (doc.isClosed || doc.version !== version) return [];
    const findings = this.run(core, doc, false);
    if (this.findings.get(key)?.version === version) this.findings.set(key, { version, findings, complete: true });
    return findings;
  }

  private run(core: typeof Core, doc: vscode.TextDocument, deferFixes: boolean): Finding[] {
    return core.analyzeText(doc.fileName, doc.getText(), {
      config: this.configFor(core, doc),
      project: this.projectContext(core),
      parameterKind: this.parameterKind(),
      deferFixes,
      onRuleError: (id, e) => this.log.warn(`Rule ${id} failed on ${path.basename(doc.fileName)}: ${(e as Error)?.message ?? e}`),
      // Never silent, never a fake diagnostic: a file that cannot be parsed is said in the output channel, once per
      // document and problem (TypeScript's own syntax errors while typing are the TypeScript extension's to show).
      onParseError: (p) => {
        if (p.fallback === 'error-recovery') return;
        const said = `${p.message}|${p.fallback ?? ''}`;
        if (this.parseLogged.get(doc.uri.toString()) === said) return;
        this.parseLogged.set(doc.uri.toString(), said);
        this.log.warn(`${path.basename(doc.fileName)}${p.position ? `:${p.position.line + 1}:${p.position.character + 1}` : ''}: could not be parsed (${p.message})${p.fallback ? `; read with fallback: ${p.fallback}` : '; not analysed'}`);
      },
    });
  }

  private debounceFor(doc: vscode.TextDocument): number {
    const last = this.lastMs.get(doc.uri.toString()) ?? MAX_DEBOUNCE_MS / 1.5;
    return Math.min(MAX_DEBOUNCE_MS, Math.max(MIN_DEBOUNCE_MS, Math.round(last * 1.5)));
  }

  /**
   * A keystroke: analyse at once when the document has not been analysed within its debounce window
   * (leading edge, so a pause in typing gets diagnostics in one analysis time), else once when the
   * window ends (trailing edge, so fast typing costs at most one analysis per window).
   */
  private onEdit(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.timers.has(key)) return; // the pending analysis will read the latest text
    const window = this.debounceFor(doc);
    const since = performance.now() - (this.lastRun.get(key) ?? -Infinity);
    this.schedule(doc, since >= window ? 0 : window - since);
  }

  schedule(doc: vscode.TextDocument, delay: number): void {
    if (!DiagnosticsController.supports(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.analyze(doc);
    }, delay));
  }

  /** Analyse one document now (cancelled in effect if the text changes meanwhile: the result is dropped). */
  async analyze(doc: vscode.TextDocument): Promise<Finding[]> {
    if (!vscode.workspace.getConfiguration('keyway').get<boolean>('diagnostics.enabled', true)) {
      this.collection.delete(doc.uri);
      return [];
    }
    const version = doc.version;
    this.lastRun.set(doc.uri.toString(), performance.now());
    const core = await loadCore();
    if (doc.isClosed || doc.version !== version) return [];
    const t0 = performance.now();
    const findings = this.run(core, doc, true);
    this.lastMs.set(doc.uri.toString(), performance.now() - t0);
    if (doc.isClosed || doc.version !== version) return findings;
    this.findings.set(doc.uri.toString(), { version, findings, complete: !findings.some((f) => f.fixesDeferred) });
    this.collection.set(doc.uri, [...findings.map(toDiagnostic), ...this.missingNames(core, doc)]);
    this.analyzed.fire(doc.uri);
    return findings;
  }

  /**
   * Names the code reads that do not exist in the connected account and region (a runtime
   * ParameterNotFound / ResourceNotFoundException). Only once that store's listing is complete.
   */
  private missingNames(core: typeof Core, doc: vscode.TextDocument): vscode.Diagnostic[] {
    const refs: { name: string; kind: 'parameter' | 'secret'; range: vscode.Range }[] = [];
    try {
      if (core.documentKind(doc.fileName) === 'source') {
        for (const r of core.iam.fileReferences(doc.fileName, doc.getText())) {
          if (r.prefix || r.op === 'GetParametersByPath' || r.name.includes('${')) continue;
          let range = toRange(r.range);
          if (/^['"`].*['"`]$/s.test(doc.getText(range))) range = new vscode.Range(range.start.translate(0, 1), range.end.translate(0, -1));
          refs.push({ name: r.name, kind: r.kind, range });
        }
      } else {
        // IaC references: ${ssm:/name}, {{resolve:ssm:/name}}, {{resolve:secretsmanager:name}}.
        const re = /\$\{ssm:([^}~:\s]+)[^}]*\}|\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}:\s]+)[^}]*\}\}/g;
        const text = doc.getText();
        for (let m = re.exec(text); m; m = re.exec(text)) {
          const name = m[1] ?? m[3];
          if (name.includes('${') || name.startsWith('/aws/reference/')) continue;
          const start = m.index + m[0].indexOf(name);
          refs.push({ name, kind: m[2] === 'secretsmanager' ? 'secret' : 'parameter', range: new vscode.Range(doc.positionAt(start), doc.positionAt(start + name.length)) });
        }
      }
    } catch (e) {
      this.log.warn(`Name check failed on ${path.basename(doc.fileName)}: ${(e as Error).message}`);
      return [];
    }
    if (!refs.length) return [];
    // A file that reads names: connect and list (once) so its names can be checked; re-checked on completion.
    const cur = this.session.indexed();
    if (!cur) return [];
    const complete = { parameter: cur.index.parameters.status === 'complete', secret: cur.index.secrets.status === 'complete' };
    const where = `${cur.connection.profile || 'default'}/${cur.connection.region}`;
    const out: vscode.Diagnostic[] = [];
    for (const r of refs) {
      if (!complete[r.kind]) continue;
      const found = r.kind === 'parameter' ? cur.index.parameters.get(r.name) : cur.index.secrets.get(r.name) ?? findSecretByArn(cur.index.secrets, r.name);
      if (found) continue;
      const store = r.kind === 'parameter' ? 'Parameter Store' : 'Secrets Manager';
      const d = new vscode.Diagnostic(r.range, `"${r.name}" is not in ${store} in ${where}: this read fails at runtime (${r.kind === 'parameter' ? 'ParameterNotFound' : 'ResourceNotFoundException'}). Create it, or fix the name.`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Keyway';
      d.code = MISSING_NAME;
      out.push(d);
    }
    return out;
  }

  /** Diagnostics for files that are not open (workspace scan). */
  setFileFindings(uri: vscode.Uri, findings: Finding[]): void {
    this.scanned.set(uri.toString(), findings);
    if (this.findings.has(uri.toString())) return; // live analysis owns open documents
    this.collection.set(uri, findings.map(toDiagnostic));
  }

  /** `.keywayrc.json` (nearest above the file) overlaid with the `keyway.rules` setting. */
  configFor(core: typeof Core, doc: vscode.TextDocument): Partial<KeywayConfig> {
    const dir = path.dirname(doc.fileName);
    let entry = this.configs.get(dir);
    if (!entry) {
      const loaded = core.loadConfig(dir);
      entry = { config: loaded.config, errors: loaded.errors };
      for (const e of loaded.errors) this.log.warn(e);
      this.configs.set(dir, entry);
    }
    const overrides = vscode.workspace.getConfiguration('keyway', doc.uri).get<Record<string, string>>('rules') ?? {};
    const rules = { ...entry.config.rules };
    for (const [id, sev] of Object.entries(overrides)) {
      if (core.isRuleId(id) && (sev === 'off' || core.isSeverity(sev))) rules[id] = sev;
    }
    return { ...entry.config, rules };
  }

  /** The options `keyway scan --fix` analyses with (configuration and project, no account data), so Fix All matches it. */
  fixOptions(core: typeof Core, doc: vscode.TextDocument): { config: Partial<KeywayConfig>; project: ProjectContext } {
    return { config: this.configFor(core, doc), project: this.projectContext(core) };
  }

  /** The file system, overlaid with the text of open documents (so unsaved edits count). */
  projectContext(core: typeof Core): ProjectContext {
    const fsProject = (this.project ??= new core.FsProjectContext());
    return {
      readFile: (p) => {
        const open = vscode.workspace.textDocuments.find((d) => d.fileName === p);
        return open ? open.getText() : fsProject.readFile(p);
      },
      dependenciesOf: (p) => fsProject.dependenciesOf(p),
      listDir: (d) => fsProject.listDir(d),
    };
  }

  /** Parameter types from the explorer's index, when connected (for missing-decryption). */
  private parameterKind(): (name: string) => ParameterKind | undefined {
    const cur = this.session.current;
    if (!cur) return () => undefined;
    return (name) => {
      const t = cur.index.parameters.get(name)?.type;
      return t === 'String' || t === 'StringList' || t === 'SecureString' ? t : undefined;
    };
  }

  reanalyzeAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.findings.delete(key);
    this.lastMs.delete(key);
    this.lastRun.delete(key);
    this.parseLogged.delete(key);
    // A closed file shows what the last workspace scan found in it, if anything.
    const scanned = this.scanned.get(key);
    if (scanned) this.collection.set(uri, scanned.map(toDiagnostic));
    else this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
  }
}
