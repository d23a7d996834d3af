// Obviously fake, realistically shaped secrets, assembled at runtime so no committed file contains a scanner-bait literal.
const j = (...p: string[]) => p.join('');

export const FAKE = {
  stripeLive: j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  stripeTest: j('sk_', 'test_', '51H8xYzQ2mK9vL4tR7wQp3Nz'),
  stripeRestricted: j('rk_', 'live_', '7Hq2LmN9pR4sT6vW8xZ1aB3c'),
  stripePublishable: j('pk_', 'live_', '51H8xYzQ2mK9vL4tR7wQp3Nz'),
  stripePublishableTest: j('pk_', 'test_', 'TYooMQauvdEDq54NiTphI7jx'),
  githubPat: j('gh', 'p_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'),
  githubOauth: j('gh', 'o_', 'Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7'),
  githubServer: j('gh', 's_', 'Mn4Bv5Cx6Zl7Kj8Hg9Fd0Sa1Qw2Er3Ty4Ui5'),
  githubFineGrained: j('github', '_pat_', '11AB2CD3E0x7Qm2Lk9Vb_tR4nW8pZs6Yc3Hd5Jf1Gq0Ka9Xe2Mu7Po4Ri6Sl8Tn3Vy5Wz1'),
  slackBot: j('xo', 'xb-', '482915736024-5839201746381-Qm7Lx2Vk9Rt4Np8Ws3Zc6Yb1'),
  slackUser: j('xo', 'xp-', '382915736024-4839201746381-6839201746381-9f3a1c7e5b2d8f4a6c0e'),
  slackWebhook: j('https://hooks.slack', '.com/services/', 'T0ABCDEF1/B0ABCDEF2/', 'Xy7Kq2Lm9Np4Rs8Tv3Wz6Ab1'),
  google: j('AI', 'za', 'SyD3kL9mN2pQ4rS6tU8vW0xY2zA4bC6dE8f'),
  twilioKey: j('S', 'K', '3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c'),
  twilioSid: j('A', 'C', '4e8b1c9d2f7a3e6b0c5d8f1a2b9c7e3d'),
  sendgrid: j('S', 'G.', 'Ab3dEf5hIj7lMn9pQr1tUv', '.', 'Wx3zAb5dEf7hIj9lMn1pQr3tUv5xYz7bCd9fGh1jKl3'),
  openai: j('s', 'k-', 'proj-', 'Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc2Ef4Hi6'),
  openaiLegacy: j('s', 'k-', 'T3BlbkFJ9xQ2mK8vL4tR7wQp3Nz5Ab7Cd9Ef1Gh3Ij5Kl'),
  awsKeyId: j('AK', 'IA', 'Z7Q3LMN4OPQ5RST6'),
  awsSecret: j('wJ8lrXUtnFEMI/', 'K7MDENG/bPxRfiCYZZ3aMpLEKq'),
  awsExampleKeyId: j('AK', 'IA', 'IOSFODNN7EXAMPLE'),
  awsExampleSecret: j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'),
  pem: j('-----BEGIN RSA ', 'PRIVATE KEY-----\n', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n',
    'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n', '-----END RSA ', 'PRIVATE KEY-----'),
  postgres: j('postgres://', 'app_user:', 'S3cr3tPw0rd', '@db.internal.acme.io:5432/orders'),
  mongo: j('mongodb+srv://', 'svc:', 'q9Xk2LmP7vRt', '@cluster0.abcde.mongodb.net/app?retryWrites=true'),
  redis: j('redis://', ':', 'Rd1sPw9xKq2', '@cache.internal:6379/0'),
  amqp: j('amqps://', 'worker:', 'Mq7pL2xZ9k', '@broker.internal/vhost'),
  mysql: j('mysql://', 'root:', 'Xk92jfLq0', '@'),
  generic16: 'Zx8kQ2mP9vL4tR7w',
  generic24: 'iGNqpgl6CcOSsMY5aXFHaEJv',
  password: 'Tr0ub4dor&3x',
  /** {"sub":"42","exp":1700000000} (expired in November 2023) */
  jwtExpired: j('eyJhbGciOiJIUzI1NiJ9', '.', Buffer.from(JSON.stringify({ sub: '42', exp: 1700000000 })).toString('base64url'), '.', 'Qm7Lx2Vk9Rt4Np8Ws3Zc6Yb1Qm7Lx2Vk9Rt4Np8Ws3Zc'),
  /** The token jwt.io shows as its example. */
  jwtIoSample: j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', '.', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
  jwt: j('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', '.', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
};

import * as nodeCrypto from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A fresh random string (new on every call, so no test can pass on a memorised value). */
export function fresh(n: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[nodeCrypto.randomInt(alphabet.length)];
  return s;
}
export const freshHex = (n: number) => fresh(n, '0123456789abcdef');
export const freshUuid = () => nodeCrypto.randomUUID();

/**
 * A freshly generated, unencrypted OpenSSH ed25519 private key in its real file format: its base64 body starts with
 * `b3BlbnNzaC1rZXktdjE` then runs of `A` (zero bytes of the length fields) — the shape that used to be dropped.
 */
export function freshOpenSshKey(comment = 'deploy@ci'): string {
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  const str = (b: Buffer | string) => { const x = Buffer.isBuffer(b) ? b : Buffer.from(b); return Buffer.concat([u32(x.length), x]); };
  const pubBlob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = nodeCrypto.randomBytes(4);
  let priv = Buffer.concat([check, check, str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(pubBlob), str(priv)]).toString('base64');
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...body.match(/.{1,70}/g)!, '-----END OPENSSH PRIVATE KEY-----'].join('\n');
}

/** A freshly generated PKCS#8 RSA private key (PEM). */
export function freshPem(): string {
  return nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
}

/** A signed-looking JWT with the given payload (fresh random signature). */
export function fakeJwt(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}.${fresh(43, ALNUM + '-_')}`;
}
