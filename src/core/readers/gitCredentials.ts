// `.git-credentials` (git's credential store): one URL per line, `https://user:password@host`. Each line yields the
// password (or, when there is none, the user part, where tokens are often put) with its exact offsets. Never throws.
import type { DocumentEntry, ParsedDocument } from '../types';

export function readGitCredentials(text: string): Pick<ParsedDocument, 'roots' | 'entries' | 'errors'> {
  const entries: DocumentEntry[] = [];
  const errors: ParsedDocument['errors'] = [];
  const re = /^[ \t]*([a-z][a-z0-9+.-]*):\/\/([^\s@/]*)@([^\s]*)[ \t]*\r?$/gim;
  let pos = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) {
      re.lastIndex = 0;
      const m = re.exec(line);
      if (!m) errors.push({ message: 'Not a credential URL (expected scheme://user:password@host)', offset: pos });
      else {
        const userinfoStart = pos + m.index + m[0].indexOf('://') + 3;
        const info = m[2];
        const colon = info.indexOf(':');
        const dec = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
        if (colon >= 0) {
          entries.push({
            key: 'password', keyStart: userinfoStart, keyEnd: userinfoStart + colon, value: dec(info.slice(colon + 1)),
            valueStart: userinfoStart + colon + 1, valueEnd: userinfoStart + info.length, quoted: false, via: 'userinfo',
          });
        } else if (info) {
          entries.push({ key: 'token', keyStart: userinfoStart, keyEnd: userinfoStart, value: dec(info), valueStart: userinfoStart, valueEnd: userinfoStart + info.length, quoted: false, via: 'userinfo' });
        }
      }
    }
    pos += line.length + 1;
  }
  return { roots: [], entries, errors };
}
