/**
 * Names and addresses must never sit in clear in Temporal histories: this codec encrypts every payload with
 * AES-256-GCM before it leaves the process (client, worker, the Web UI's codec endpoint) and decrypts it on the
 * way back; failure messages and stack traces become payloads first (failure-converter.cjs). The key id travels in the payload's metadata, so keys rotate: the current key encrypts, older keys
 * only decrypt. A payload that was never encrypted (histories from before the codec) passes through as it is.
 *
 * Node-only (node:crypto): the worker and the API import it, the workflow bundle never does (the codec runs
 * outside the workflow sandbox; a dependency rule keeps workflows from reaching this file).
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  type DataConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';
export const CIPHER_METADATA_KEY = 'encryption-cipher';
const CIPHER = 'aes-256-gcm';
const CIPHER_NAME = 'AES-256-GCM';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// A CommonJS module: Node's ESM loader (tsx) sees only its default export.
const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** A key and the id written beside every payload it encrypts. The KeyObject never prints its bytes. */
export interface PayloadKey {
  id: string;
  key: KeyObject;
}

export interface PayloadKeys {
  /** Encrypts every new payload. */
  current: PayloadKey;
  /** Decrypt only: payloads written before the last rotation. */
  older: PayloadKey[];
}

/** A payload that cannot be decrypted: unknown key id, tampered or truncated ciphertext. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * One `<keyId>:<base64 of 32 bytes>` entry. Errors name the setting and the key id, never the key material:
 * they end up in logs.
 */
export function parsePayloadKey(setting: string, entry: string): PayloadKey {
  const separator = entry.indexOf(':');
  const id = separator < 0 ? '' : entry.slice(0, separator).trim();
  const material = separator < 0 ? '' : entry.slice(separator + 1).trim();
  if (!KEY_ID.test(id) || material === '') {
    throw new Error(
      `${setting} must be <keyId>:<base64 of 32 bytes> (keyId: letters, digits, '.', '_', '-', at most 64)`,
    );
  }
  const bytes = Buffer.from(material, 'base64');
  // Buffer.from skips what is not base64; a round trip catches a mistyped key instead of shortening it.
  const canonical = (text: string) => text.replace(/=+$/, '');
  if (bytes.length !== KEY_BYTES || canonical(bytes.toString('base64')) !== canonical(material)) {
    throw new Error(
      `${setting}: key "${id}" must be exactly ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`,
    );
  }
  return { id, key: createSecretKey(bytes) };
}

/**
 * `PAYLOAD_KEY` (the current key) and `PAYLOAD_OLD_KEYS` (comma-separated, decrypt only); undefined when
 * `PAYLOAD_KEY` is unset. Older keys without a current one are a mistake, not a way to turn encryption off.
 */
export function parsePayloadKeys(
  current: string | undefined,
  older: string | undefined,
): PayloadKeys | undefined {
  const olderEntries = (older ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (!current) {
    if (olderEntries.length > 0) throw new Error('PAYLOAD_OLD_KEYS is set but PAYLOAD_KEY is not');
    return undefined;
  }
  const keys: PayloadKeys = {
    current: parsePayloadKey('PAYLOAD_KEY', current),
    older: olderEntries.map((entry) => parsePayloadKey('PAYLOAD_OLD_KEYS', entry)),
  };
  const seen = new Set<string>();
  for (const { id } of [keys.current, ...keys.older]) {
    if (seen.has(id)) throw new Error(`PAYLOAD_KEY and PAYLOAD_OLD_KEYS name the key id "${id}" twice`);
    seen.add(id);
  }
  return keys;
}

/** A fresh key in the `PAYLOAD_KEY` format, for dev mode and for rotation. */
export function generatePayloadKey(id: string): string {
  if (!KEY_ID.test(id)) throw new Error(`not a valid payload key id: "${id}"`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const metadataText = (payload: Payload, key: string) => {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
};

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly current: PayloadKey;

  constructor(keys: PayloadKeys) {
    this.current = keys.current;
    this.keys = new Map([keys.current, ...keys.older].map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  /** The whole payload, its metadata included (the encoding says what kind of value it is), is sealed. */
  private encrypt(payload: Payload): Payload {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(CIPHER, this.current.key, nonce);
    const plain = ProtoPayload.encode(payload).finish();
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [CIPHER_METADATA_KEY]: utf8(CIPHER_NAME),
        [KEY_ID_METADATA_KEY]: utf8(this.current.id),
      },
      // nonce | ciphertext | tag, the layout of Temporal's encryption samples.
      data: Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    if (metadataText(payload, METADATA_ENCODING_KEY) !== ENCRYPTED_ENCODING) return payload;
    const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
    if (!keyId) throw new PayloadDecryptionError('an encrypted payload carries no key id');
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${keyId}", which is not configured (known: ${[...this.keys.keys()].join(', ')}); add it to PAYLOAD_OLD_KEYS`,
      );
    }
    const sealed = payload.data ?? new Uint8Array();
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`a payload encrypted with key "${keyId}" is truncated`);
    }
    const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `a payload encrypted with key "${keyId}" fails authentication: it was altered, or the key under that id changed`,
      );
    }
    const { metadata, data } = ProtoPayload.decode(plain);
    return { metadata, data };
  }
}

/**
 * The failure converter that moves failure messages and stack traces into a payload, so the codec encrypts them
 * too (failure-converter.cjs). Temporal loads it by path, in the workflow sandbox as well: a prebuilt workflow
 * bundle must be built with it (`bundleWorkflowCode({ failureConverterPath })`).
 */
export const ENCODING_FAILURE_CONVERTER_PATH = fileURLToPath(
  new URL('./failure-converter.cjs', import.meta.url),
);

/**
 * The data converter for clients and workers: the default payload converter behind the codec, failure messages
 * and stack traces moved into payloads; none without keys. Without keys failures stay as Temporal writes them:
 * with no codec, encoding them would hide the message from the Web UI and the CLI and protect nothing.
 */
export function encryptingDataConverter(keys: PayloadKeys | undefined): DataConverter | undefined {
  return keys
    ? { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH }
    : undefined;
}

/** The line `npm run server`, `npm run worker` and `npm run dev` print at start. */
export function describePayloadEncryption(keys: PayloadKeys | undefined): string {
  if (!keys) {
    return 'payloads are NOT encrypted: PAYLOAD_KEY is unset, so names and addresses go to Temporal in clear';
  }
  const older =
    keys.older.length > 0 ? `; older keys ${keys.older.map(({ id }) => id).join(', ')} decrypt` : '';
  return `payloads encrypted with AES-256-GCM, key "${keys.current.id}"${older}`;
}
