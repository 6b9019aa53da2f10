import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Encrypts secrets the platform must be able to read back (webhook signing
 * secrets: a hash cannot sign). AES-256-GCM under a key that lives outside
 * the database, so a database dump alone does not reveal them.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    return new SecretBox(key);
  }

  /**
   * The key from the setting (base64 or hex of 32 bytes), or else from
   * `<data dir>/secret.key`, created on first use with mode 0600. Several
   * processes on several machines must share it: set the setting there.
   */
  static async open(setting: string | null, dataDir: string): Promise<SecretBox> {
    if (setting !== null) return SecretBox.fromKey(decodeKey(setting));
    const file = path.join(dataDir, 'secret.key');
    try {
      return SecretBox.fromKey(decodeKey((await readFile(file, 'utf8')).trim()));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32);
    // Written whole and flushed under a name of its own, then linked into place:
    // a process starting at the same moment sees no key or the whole key, never
    // a half-written one, and `link` refuses to replace a key another made first.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await chmod(temp, 0o600);
      await link(temp, file);
      return SecretBox.fromKey(key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return SecretBox.fromKey(decodeKey((await readFile(file, 'utf8')).trim()));
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * A keyed hash (HMAC-SHA256) of `value` for `purpose`: the same value gives
   * the same pseudonym under the same key, so whoever holds the key can check
   * whether a given value was recorded, while the pseudonym alone reveals
   * nothing (unlike a bare hash, it cannot be brute-forced from a list of
   * history numbers without the key). The HMAC key is derived from this box's
   * key per purpose (HKDF), so it never doubles as the encryption key.
   */
  pseudonym(purpose: string, value: string): string {
    const key = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `openretina pseudonym: ${purpose}`, 32));
    return `hmac-sha256:${createHmac('sha256', key).update(value, 'utf8').digest('hex')}`;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes, as base64 or hex');
  return key;
}
