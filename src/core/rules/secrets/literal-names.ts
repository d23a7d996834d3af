// hardcoded-secret, TypeScript/JavaScript side: the name a string literal is assigned to (variable, property, class
// field, default, known client parameter…) and how it reads in a message. Pure AST walks upward from the literal.
import { ts, tsv } from '../../ts';
import { isSecretName } from '../../secrets';
import { expressionName, propertyNameText } from './shared';

const SK = ts.SyntaxKind;

/** Known clients and calls whose positional arguments are credentials: `new Sequelize(db, user, password)`, `.auth(user, pass)`. */
function positionalName(c: ts.CallExpression | ts.NewExpression, idx: number): string | undefined {
  const callee = expressionName(c.expression);
  const n = c.arguments?.length ?? 0;
  if (!callee) return undefined;
  if (callee === 'Sequelize' && idx === 2 && n >= 3) return 'password';
  if ((callee === 'auth' || callee === 'login' || callee === 'bind' || callee === 'authenticate') && idx === 1 && n >= 2) return 'password';
  if (callee === 'login' && idx === 0 && n === 1) return 'token'; // discord.js client.login(token)
  if (/^(?:twilio|Twilio)$/.test(callee) && idx === 1) return 'authToken';
  if (/^(?:Telegraf|TelegramBot|Bot|WebClient|Octokit|Client)$/.test(callee) && idx === 0 && c.kind === SK.NewExpression && n <= 2) return callee === 'Client' ? undefined : 'token';
  if (/^(?:setApiKey|setToken|setAuthToken|setAccessToken|setPassword|setSecret|setClientSecret|setCredentials)$/.test(callee) && idx === 0) return callee.slice(3);
  if ((callee === 'set' || callee === 'setHeader' || callee === 'append' || callee === 'header') && idx === 1 && n >= 2) {
    const k = c.arguments![0];
    return tsv.isStringLiteralLike(k) ? k.text : undefined; // headers.set('Authorization', '…'), res.setHeader('x-api-key', '…')
  }
  if ((callee === 'encrypt' || callee === 'decrypt') && idx === 1) return 'encryptionKey'; // CryptoJS.AES.encrypt(data, key)
  if (callee === 'createCipheriv' && idx === 1) return 'encryptionKey';
  return undefined;
}

/** `basicAuth({ users: { admin: '…' } })` (express-basic-auth, koa-basic-auth): each user's value is its password. */
function basicAuthUsersEntry(a: ts.PropertyAssignment): boolean {
  const users = a.parent?.parent;
  if (users?.kind !== SK.PropertyAssignment || propertyNameText((users as ts.PropertyAssignment).name) !== 'users') return false;
  const call = users.parent?.parent;
  if (call?.kind !== SK.CallExpression) return false;
  return /basic[_-]?auth/i.test(expressionName((call as ts.CallExpression).expression) ?? '');
}

/** Methods whose result is still the value they are called on (`'…'.trim()`, `'…'.slice(0, 40)`, `[…].join('')`). */
const PASS_THROUGH_METHODS = new Set(['toString', 'join', 'concat', 'slice', 'substring', 'substr', 'trim', 'trimStart', 'trimEnd',
  'replace', 'replaceAll', 'normalize', 'valueOf']);

/** Wrappers that leave the value as it is: `(…)`, `… as string`, `…!`, `{…}` in JSX. */
const TRANSPARENT = new Set<ts.SyntaxKind>([SK.ParenthesizedExpression, SK.AsExpression, SK.SatisfiesExpression, SK.TypeAssertionExpression,
  SK.NonNullExpression, SK.JsxExpression]);

/** One step up the tree: a name (or `undefined`: no name), `GO_ON` to the parent, or a node to continue from. */
const GO_ON = Symbol('go on');
type Up = string | undefined | typeof GO_ON | { through: ts.Node };

/** `a || 'x'`, `a ?? 'x'` (the fallback of a secret-named read), `a = 'x'`, `a === 'x'`. */
function binaryUp(b: ts.BinaryExpression, cur: ts.Node): Up {
  const op = b.operatorToken.kind;
  if (op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
    if (b.right !== cur) return undefined;
    // `process.env.API_KEY || 'literal'`: the fallback stands for the variable read on the left.
    const left = expressionName(b.left);
    return left && isSecretName(left) ? left : GO_ON;
  }
  if (op === SK.EqualsToken || op === SK.BarBarEqualsToken || op === SK.QuestionQuestionEqualsToken) {
    return b.right === cur ? expressionName(b.left) : undefined;
  }
  if (op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken
    || op === SK.ExclamationEqualsToken) return expressionName(b.right === cur ? b.left : b.right);
  return undefined;
}

/** An argument: `jwt.sign(p, '…')`, `createHmac('sha256', '…')`, `fn.addEnvironment('K', '…')`, a known client's parameter. */
function argumentUp(c: ts.CallExpression | ts.NewExpression, cur: ts.Node): Up {
  const callee = expressionName(c.expression);
  const idx = c.arguments?.indexOf(cur as ts.Expression) ?? -1;
  if (idx < 0) return undefined;
  if (idx === 1 && (callee === 'sign' || callee === 'verify') && /jwt|jsonwebtoken|jose/i.test(c.expression.getText())) return 'jwtSecret';
  if (idx === 1 && (callee === 'createHmac' || callee === 'Hmac')) return 'hmacKey';
  // Buffer.from('…', 'base64') / atob('…') keep the name of what they are assigned to
  if (idx === 0 && (callee === 'from' || callee === 'atob' || callee === 'btoa' || callee === 'String')) return GO_ON;
  // CDK: fn.addEnvironment('API_TOKEN', '…'), SecretValue.unsafePlainText('…')
  if (idx === 1 && callee === 'addEnvironment') return tsv.isStringLiteralLike(c.arguments![0]) ? c.arguments![0].text : undefined;
  if (idx === 0 && (callee === 'unsafePlainText' || callee === 'plainText')) return 'secretValue';
  return positionalName(c, idx);
}

/** Declarations and properties initialised with the value: their own name. */
function declarationUp(p: ts.Node, cur: ts.Node): Up {
  switch (p.kind) {
    case SK.VariableDeclaration: case SK.Parameter: {
      const d = p as ts.VariableDeclaration | ts.ParameterDeclaration;
      return d.initializer === cur && d.name.kind === SK.Identifier ? d.name.text : undefined;
    }
    case SK.PropertyAssignment: {
      const a = p as ts.PropertyAssignment;
      if (a.initializer !== cur) return undefined;
      return basicAuthUsersEntry(a) ? 'password' : propertyNameText(a.name);
    }
    case SK.PropertyDeclaration: case SK.EnumMember: {
      const d = p as ts.PropertyDeclaration | ts.EnumMember;
      return d.initializer === cur ? propertyNameText(d.name) : undefined;
    }
    case SK.BindingElement: {
      const d = p as ts.BindingElement;
      if (d.initializer !== cur) return undefined;
      return propertyNameText(d.propertyName) ?? (d.name.kind === SK.Identifier ? d.name.text : undefined);
    }
    case SK.JsxAttribute:
      return propertyNameText((p as ts.JsxAttribute).name);
    default:
      return undefined;
  }
}

function stepUp(p: ts.Node, cur: ts.Node): Up {
  if (TRANSPARENT.has(p.kind)) return GO_ON;
  switch (p.kind) {
    case SK.ConditionalExpression: return (p as ts.ConditionalExpression).condition === cur ? undefined : GO_ON;
    case SK.BinaryExpression: return binaryUp(p as ts.BinaryExpression, cur);
    case SK.CallExpression: case SK.NewExpression: return argumentUp(p as ts.CallExpression, cur);
    case SK.PropertyAccessExpression: {
      // `Buffer.from('…', 'base64').toString()`, `[…].join('')`, `'…'.trim()`: the value goes on to what the call is assigned to
      const pa = p as ts.PropertyAccessExpression;
      return pa.expression === cur && PASS_THROUGH_METHODS.has(pa.name.text) && p.parent?.kind === SK.CallExpression ? { through: p.parent } : undefined;
    }
    default: return declarationUp(p, cur);
  }
}

/**
 * The name a string literal is assigned to, if any: variable, property, class field, default parameter, destructuring
 * default, assignment target, compared identifier, JSX attribute, the (plural) name of the array it sits in, or the
 * parameter of a known client it is passed to.
 */
export function assignedName(node: ts.Node): string | undefined {
  let cur: ts.Node = node;
  let inArray = false;
  for (let depth = 0; cur.parent && depth < 8; depth++) {
    const p = cur.parent;
    if (p.kind === SK.ArrayLiteralExpression) {
      if (inArray) return undefined;
      inArray = true;
      cur = p;
      continue;
    }
    const up = stepUp(p, cur);
    if (up === GO_ON) cur = p;
    else if (typeof up === 'object') cur = up.through;
    else return up;
  }
  return undefined;
}

/** Where a literal sits, for the message: variable, object property, class field, default value, argument… */
export function where(node: ts.Node): string {
  let p = node.parent;
  while (p && (p.kind === SK.ParenthesizedExpression || p.kind === SK.AsExpression || p.kind === SK.BinaryExpression
    || p.kind === SK.ArrayLiteralExpression)) p = p.parent;
  switch (p?.kind) {
    case SK.VariableDeclaration: return 'variable';
    case SK.PropertyAssignment: return 'object property';
    case SK.PropertyDeclaration: return 'class field';
    case SK.Parameter: case SK.BindingElement: return 'default value';
    case SK.JsxAttribute: return 'JSX attribute';
    case SK.CallExpression: case SK.NewExpression: return 'argument';
    default: return 'string literal';
  }
}

/** The object literal a property value sits in. */
export function containingObject(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  const pa = node.parent;
  const obj = pa?.kind === SK.PropertyAssignment ? pa.parent : undefined;
  return obj?.kind === SK.ObjectLiteralExpression ? obj as ts.ObjectLiteralExpression : undefined;
}

export function objectKeys(obj: ts.ObjectLiteralExpression | undefined): Set<string> {
  const s = new Set<string>();
  for (const p of obj?.properties ?? []) { const k = propertyNameText(p.name); if (k) s.add(k); }
  return s;
}
