// The value editor's webview: a header naming the target, a plain text area, and Publish / Compare /
// Discard. The value reaches the page by postMessage only; the page never calls setState (the webview
// state is written into VS Code's backups), and the text area opts out of autocomplete and spell checking.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/** What the page shows above the text (no value in it). */
export interface ValueHeader {
  name: string;
  store: 'parameter' | 'secret';
  /** "SecureString", "String", "StringList", or "secret". */
  type: string;
  version?: string;
  account?: string;
  region?: string;
  endpoint?: string;
  production: boolean;
}

/** Messages to the page. */
export type ToView =
  | { kind: 'init'; header: ValueHeader; text?: string; dirty: boolean; loaded: boolean; notice?: string; error?: string }
  | { kind: 'header'; header: ValueHeader }
  | { kind: 'reset'; text: string; dirty: boolean }
  | { kind: 'saved'; header: ValueHeader }
  | { kind: 'busy'; busy: boolean };

/** Messages from the page. */
export type FromView =
  | { kind: 'ready' }
  | { kind: 'edit'; text: string }
  | { kind: 'publish' }
  | { kind: 'compare' }
  | { kind: 'discard' }
  | { kind: 'load' };

export function isFromView(m: unknown): m is FromView {
  if (!m || typeof m !== 'object') return false;
  const k = (m as { kind?: unknown }).kind;
  if (k === 'edit') return typeof (m as { text?: unknown }).text === 'string';
  return k === 'ready' || k === 'publish' || k === 'compare' || k === 'discard' || k === 'load';
}

export function valueEditorHtml(webview: vscode.Webview): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${webview.cspSource}; font-src ${webview.cspSource}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyway value</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px; display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; margin: 0; }
  header { padding: 12px 0 8px; }
  h1 { font-size: 1.15em; margin: 0 0 4px; font-weight: 600; word-break: break-all; }
  .meta { color: var(--vscode-descriptionForeground); display: flex; flex-wrap: wrap; gap: 4px 16px; }
  .meta b { color: var(--vscode-foreground); font-weight: normal; }
  .prod { display: inline-block; background: var(--vscode-inputValidation-errorBackground, #5a1d1d); border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100); color: var(--vscode-foreground); padding: 0 6px; border-radius: 3px; margin-right: 8px; font-size: .85em; vertical-align: middle; }
  .notice { margin: 8px 0; padding: 8px 10px; border-left: 3px solid var(--vscode-textLink-foreground); background: var(--vscode-textBlockQuote-background); }
  .notice.error { border-left-color: var(--vscode-errorForeground); }
  textarea { flex: 1; min-height: 6em; width: 100%; box-sizing: border-box; resize: none; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 8px; tab-size: 2; white-space: pre; overflow-wrap: normal; overflow: auto; }
  textarea.wrap { white-space: pre-wrap; overflow-wrap: anywhere; }
  textarea.masked { -webkit-text-security: disc; }
  textarea:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  footer { display: flex; align-items: center; gap: 8px; padding: 8px 0 12px; flex-wrap: wrap; }
  #status { flex: 1; color: var(--vscode-descriptionForeground); min-width: 12em; }
  #status.dirty { color: var(--vscode-foreground); }
  #warn { color: var(--vscode-editorWarning-foreground); }
  button { font-family: inherit; font-size: inherit; border: 1px solid var(--vscode-button-border, transparent); padding: 4px 12px; border-radius: 2px; cursor: pointer; color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
  button:disabled { opacity: .5; cursor: default; }
  button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  [hidden] { display: none !important; }
</style></head>
<body>
<header>
  <h1><span class="prod" id="prod" hidden title="This name looks like production: publishing always asks for confirmation">production</span><span id="name"></span></h1>
  <div class="meta" id="meta"></div>
</header>
<div class="notice" id="notice" role="status" hidden></div>
<textarea id="value" spellcheck="false" autocomplete="off" autocorrect="off" autocapitalize="off" aria-label="Value" disabled></textarea>
<footer>
  <span id="status" role="status" aria-live="polite"></span>
  <span id="warn" role="alert"></span>
  <button class="secondary" id="wrap" title="Wrap long lines">Wrap</button>
  <button class="secondary" id="mask" title="Hide the characters on screen">Hide</button>
  <button class="secondary" id="compare" title="Diff your text against the version stored now">Compare with Current</button>
  <button class="secondary" id="discard" title="Drop your changes (File: Revert)">Discard Changes</button>
  <button id="publish" title="Write your text as a new version, after a confirmation (Ctrl+S)">Publish New Version…</button>
  <button id="load" hidden>Load Value</button>
</footer>
<script nonce="${nonce}">
(() => {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const area = $('value');
  let header, loaded = false, dirty = false, wasJson = false;
  const send = (m) => vscode.postMessage(m);
  function bytes(s) { return new TextEncoder().encode(s).length; }
  function renderHeader(h) {
    header = h;
    $('name').textContent = h.name;
    $('prod').hidden = !h.production;
    const meta = $('meta');
    meta.textContent = '';
    const add = (label, value) => { if (!value) return; const s = document.createElement('span'); s.append(label + ' '); const b = document.createElement('b'); b.textContent = value; s.append(b); meta.append(s); };
    add(h.store === 'parameter' ? 'Parameter Store' : 'Secrets Manager', h.type);
    add('version', h.version);
    add('account', h.account);
    add('region', h.region);
    add('endpoint', h.endpoint);
    area.setAttribute('aria-label', 'Value of ' + h.name);
  }
  function renderStatus() {
    const v = area.value;
    $('status').textContent = !loaded ? '' : (dirty ? 'Unpublished changes (kept in memory only; never saved to disk).' : 'No unpublished changes.') + ' ' + bytes(v) + ' bytes';
    $('status').classList.toggle('dirty', dirty);
    let warn = '';
    if (loaded && wasJson) { try { JSON.parse(v); } catch (e) { warn = 'Not valid JSON (the stored value is JSON).'; } }
    $('warn').textContent = warn;
    for (const id of ['publish', 'compare', 'discard', 'wrap', 'mask']) $(id).disabled = !loaded;
    $('discard').disabled = !loaded || !dirty;
  }
  function notice(text, isError) {
    const n = $('notice');
    n.hidden = !text;
    n.textContent = text || '';
    n.classList.toggle('error', !!isError);
  }
  area.addEventListener('input', () => { dirty = true; send({ kind: 'edit', text: area.value }); renderStatus(); });
  $('publish').addEventListener('click', () => send({ kind: 'publish' }));
  $('compare').addEventListener('click', () => send({ kind: 'compare' }));
  $('discard').addEventListener('click', () => send({ kind: 'discard' }));
  $('load').addEventListener('click', () => send({ kind: 'load' }));
  $('wrap').addEventListener('click', () => { const on = area.classList.toggle('wrap'); $('wrap').textContent = on ? 'No Wrap' : 'Wrap'; });
  $('mask').addEventListener('click', () => { const on = area.classList.toggle('masked'); $('mask').textContent = on ? 'Show' : 'Hide'; });
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || typeof m !== 'object') return;
    if (m.kind === 'init') {
      renderHeader(m.header);
      loaded = m.loaded;
      dirty = m.dirty;
      area.disabled = !loaded;
      area.value = loaded ? m.text : '';
      wasJson = loaded && /^\\s*[{[]/.test(m.text) && (() => { try { JSON.parse(m.text); return true; } catch (e) { return false; } })();
      $('load').hidden = loaded;
      notice(m.error || m.notice, !!m.error);
      renderStatus();
      if (loaded) area.focus();
    } else if (m.kind === 'header') {
      renderHeader(m.header);
    } else if (m.kind === 'reset') {
      area.value = m.text;
      dirty = m.dirty;
      renderStatus();
    } else if (m.kind === 'saved') {
      renderHeader(m.header);
      dirty = false;
      notice('');
      renderStatus();
    } else if (m.kind === 'busy') {
      $('publish').disabled = m.busy || !loaded;
    }
  });
  send({ kind: 'ready' });
})();
</script>
</body></html>`;
}
