// A name hierarchy: names are split on `/` into folders; the part after the last `/` is the leaf.
// A leading `/` (Parameter Store paths) does not make a folder: `/app/prod/key` sits in folder
// `/app/prod` under `/app` under the root, and `plain-name` sits at the root.
// Folder paths are exact name prefixes, so `/app/x` and `app/x` live in different folders (`/app`, `app`).

export interface FolderNode<T> {
  /** Last path segment (may be '' for a `//` in a name). */
  readonly name: string;
  /** Name prefix without the trailing `/`; '' for the root. */
  readonly path: string;
  readonly depth: number;
  readonly folders: Map<string, FolderNode<T>>;
  readonly items: Map<string, T>;
  /** Items in this folder and all its sub-folders. */
  count: number;
}

export interface FolderSummary {
  name: string;
  path: string;
  /** Items held, recursively. */
  count: number;
  /** Direct sub-folders. */
  folderCount: number;
}

export interface Children<T> {
  folders: FolderSummary[];
  items: T[];
}

/** The label of an item in its folder: the part of its name after the last `/`. */
export function leafName(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(i + 1);
}

/** The folder path an item sits in ('' = root). */
export function parentPath(name: string): string {
  const i = name.lastIndexOf('/');
  return i <= 0 ? '' : name.slice(0, i);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byNameThenPath(a: FolderSummary, b: FolderSummary): number {
  return byName(a, b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

export class HierarchyTree<T extends { name: string }> {
  readonly root: FolderNode<T> = HierarchyTree.folder('', '', 0);
  private readonly folderByPath = new Map<string, FolderNode<T>>([['', this.root]]);
  private readonly itemByName = new Map<string, T>();

  private static folder<U>(name: string, path: string, depth: number): FolderNode<U> {
    return { name, path, depth, folders: new Map(), items: new Map(), count: 0 };
  }

  get size(): number { return this.itemByName.size; }
  get folderCount(): number { return this.folderByPath.size - 1; }

  /** Adds or replaces an item. Returns true if the name was new. */
  add(item: T): boolean {
    const name = item.name;
    const existing = this.itemByName.get(name);
    const parent = this.ensureFolders(name, !existing);
    parent.items.set(name, item);
    this.itemByName.set(name, item);
    return !existing;
  }

  /** Walks/creates the folders of `name`, incrementing counts on the way if `count`. */
  private ensureFolders(name: string, count: boolean): FolderNode<T> {
    let node = this.root;
    if (count) node.count++;
    let start = 0;
    for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
      if (i > 0) {
        const path = name.slice(0, i);
        let next = node.folders.get(path);
        if (!next) {
          next = HierarchyTree.folder<T>(name.slice(start, i), path, node.depth + 1);
          node.folders.set(path, next);
          this.folderByPath.set(path, next);
        }
        node = next;
        if (count) node.count++;
      }
      start = i + 1;
    }
    return node;
  }

  get(name: string): T | undefined {
    return this.itemByName.get(name);
  }

  has(name: string): boolean {
    return this.itemByName.has(name);
  }

  /** Folder by path; '' or '/' is the root; one trailing `/` is ignored (`/app/` = `/app`). */
  folder(path: string): FolderNode<T> | undefined {
    return this.folderByPath.get(normalizeFolderPath(path));
  }

  /** Direct children of a folder, folders then items, each sorted by name (for tree views and completion). */
  children(path = ''): Children<T> {
    const f = this.folder(path);
    if (!f) return { folders: [], items: [] };
    const folders: FolderSummary[] = [];
    for (const sub of f.folders.values()) folders.push(summary(sub));
    folders.sort(byNameThenPath);
    const items = [...f.items.values()].sort(byName);
    return { folders, items };
  }

  summary(path = ''): FolderSummary | undefined {
    const f = this.folder(path);
    return f && summary(f);
  }

  /** Items whose full name contains `text` (case-insensitive), in name order, at most `limit`. */
  filter(text: string, limit = Infinity): T[] {
    const needle = text.toLowerCase();
    const out: T[] = [];
    for (const [name, item] of this.itemByName) {
      if (name.toLowerCase().includes(needle)) out.push(item);
    }
    out.sort(byName);
    return out.length > limit ? out.slice(0, limit) : out;
  }

  /** Every item (insertion order). */
  items(): IterableIterator<T> {
    return this.itemByName.values();
  }

  clear(): void {
    this.root.folders.clear();
    this.root.items.clear();
    this.root.count = 0;
    this.folderByPath.clear();
    this.folderByPath.set('', this.root);
    this.itemByName.clear();
  }
}

export function normalizeFolderPath(path: string): string {
  if (path === '/' || path === '') return '';
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

function summary<T>(f: FolderNode<T>): FolderSummary {
  return { name: f.name, path: f.path, count: f.count, folderCount: f.folders.size };
}
