import { strict as assert } from 'node:assert';
import { HierarchyTree, leafName, parentPath } from '../../src/aws';

interface Item { name: string; n?: number }

describe('aws/index HierarchyTree', () => {
  it('splits Parameter Store paths into folders; names without a leading slash sit at the root', () => {
    const t = new HierarchyTree<Item>();
    for (const name of ['/app/prod/db', '/app/prod/key', '/app/dev/db', '/other/x', 'plain', 'nested-no-slash']) t.add({ name });
    assert.equal(t.size, 6);
    const root = t.children('');
    assert.deepEqual(root.folders.map((f) => [f.path, f.name, f.count]), [['/app', 'app', 3], ['/other', 'other', 1]]);
    assert.deepEqual(root.items.map((i) => i.name), ['nested-no-slash', 'plain']);
    assert.deepEqual(t.children('/app').folders.map((f) => [f.path, f.count, f.folderCount]), [['/app/dev', 1, 0], ['/app/prod', 2, 0]]);
    assert.deepEqual(t.children('/app/prod/').items.map((i) => i.name), ['/app/prod/db', '/app/prod/key']);
    assert.equal(t.root.count, 6);
  });

  it('splits secret names on / and keeps /a and a as different folders', () => {
    const t = new HierarchyTree<Item>();
    for (const name of ['team/db/creds', 'team/api', '/team/db/creds', 'solo']) t.add({ name });
    const root = t.children();
    assert.deepEqual(root.folders.map((f) => [f.path, f.name, f.count]), [['/team', 'team', 1], ['team', 'team', 2]]);
    assert.deepEqual(t.children('team').items.map((i) => i.name), ['team/api']);
    assert.deepEqual(t.children('team/db').items.map((i) => i.name), ['team/db/creds']);
    assert.equal(t.get('/team/db/creds')?.name, '/team/db/creds');
  });

  it('a folder and an item may share a name (/a and /a/b both exist)', () => {
    const t = new HierarchyTree<Item>();
    t.add({ name: '/a' });
    t.add({ name: '/a/b' });
    const root = t.children();
    assert.deepEqual(root.items.map((i) => i.name), ['/a']);
    assert.deepEqual(root.folders.map((f) => [f.path, f.count]), [['/a', 1]]);
  });

  it('replacing an item does not double-count', () => {
    const t = new HierarchyTree<Item>();
    t.add({ name: '/x/y/z', n: 1 });
    assert.equal(t.add({ name: '/x/y/z', n: 2 }), false);
    assert.equal(t.size, 1);
    assert.equal(t.summary('/x')?.count, 1);
    assert.equal(t.get('/x/y/z')?.n, 2);
    assert.equal(t.children('/x/y').items[0].n, 2);
  });

  it('filters by case-insensitive substring, sorted and limited', () => {
    const t = new HierarchyTree<Item>();
    for (const name of ['/App/Prod/DB-Password', '/app/dev/db-password', '/app/dev/api-url']) t.add({ name });
    assert.deepEqual(t.filter('db-PASS').map((i) => i.name), ['/App/Prod/DB-Password', '/app/dev/db-password']);
    assert.deepEqual(t.filter('db-pass', 1).map((i) => i.name), ['/App/Prod/DB-Password']);
    assert.deepEqual(t.filter('nothing'), []);
  });

  it('unknown folders have no children; clear() empties everything', () => {
    const t = new HierarchyTree<Item>();
    t.add({ name: '/a/b' });
    assert.deepEqual(t.children('/nope'), { folders: [], items: [] });
    t.clear();
    assert.equal(t.size, 0);
    assert.equal(t.root.count, 0);
    assert.deepEqual(t.children(), { folders: [], items: [] });
    assert.equal(t.folder('/a'), undefined);
  });

  it('leafName and parentPath', () => {
    assert.equal(leafName('/a/b/c'), 'c');
    assert.equal(leafName('plain'), 'plain');
    assert.equal(parentPath('/a/b/c'), '/a/b');
    assert.equal(parentPath('/a'), '');
    assert.equal(parentPath('a/b'), 'a');
  });
});
