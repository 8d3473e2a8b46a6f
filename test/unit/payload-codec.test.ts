/**
 * The payload codec on its own: what it writes hides the value, keys rotate by id, anything altered or
 * encrypted under an unknown key fails loudly, and payloads from before the codec pass through; with it,
 * failure messages and stack traces are sealed too.
 */
import { inspect } from 'node:util';
import {
  ActivityFailure,
  ApplicationFailure,
  DefaultPayloadConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  RetryState,
} from '@temporalio/common';
import {
  decodeFailure,
  encodeErrorToFailure,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../common/config';
import {
  EncryptionCodec,
  encryptingDataConverter,
  generatePayloadKey,
  KEY_ID_METADATA_KEY,
  PayloadDecryptionError,
  parsePayloadKeys,
} from '../../common/payload-codec';

const converter = new DefaultPayloadConverter();
const ADDRESS = { name: 'Ada Lovelace', line1: '12 St James Sq', city: 'London', postalCode: 'SW1Y 4JH' };
const text = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function codecWith(current: string, older: string[] = []): EncryptionCodec {
  const keys = parsePayloadKeys(current, older.join(','));
  if (!keys) throw new Error('no keys');
  return new EncryptionCodec(keys);
}

describe('the payload codec', () => {
  const k1 = generatePayloadKey('k1');
  const k2 = generatePayloadKey('k2');

  it('encrypts a payload so that neither the value nor its encoding shows, and decrypts it back', async () => {
    const codec = codecWith(k1);
    const plain = converter.toPayload(ADDRESS);
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed?.metadata?.[METADATA_ENCODING_KEY])).toBe('binary/encrypted');
    expect(text(sealed?.metadata?.[KEY_ID_METADATA_KEY])).toBe('k1');
    expect(text(sealed?.data)).not.toContain('Lovelace');
    expect(text(sealed?.data)).not.toContain('json/plain');

    const [opened] = await codec.decode([sealed as Payload]);
    expect(converter.fromPayload(opened as Payload)).toEqual(ADDRESS);
  });

  it('never writes the same ciphertext twice for the same value', async () => {
    const codec = codecWith(k1);
    const plain = converter.toPayload(ADDRESS);
    const [first, second] = await codec.encode([plain, plain]);
    expect(Buffer.from(first?.data ?? []).equals(Buffer.from(second?.data ?? []))).toBe(false);
  });

  it('after a rotation encrypts with the new key and still decrypts what the old key wrote', async () => {
    const [old] = await codecWith(k1).encode([converter.toPayload(ADDRESS)]);
    const rotated = codecWith(k2, [k1]);
    const [fresh] = await rotated.encode([converter.toPayload('new')]);
    expect(text(fresh?.metadata?.[KEY_ID_METADATA_KEY])).toBe('k2');
    const [oldOpened, freshOpened] = await rotated.decode([old as Payload, fresh as Payload]);
    expect(converter.fromPayload(oldOpened as Payload)).toEqual(ADDRESS);
    expect(converter.fromPayload(freshOpened as Payload)).toBe('new');
  });

  it('fails on a payload encrypted under a key id it does not know, naming the id', async () => {
    const [sealed] = await codecWith(k1).encode([converter.toPayload(ADDRESS)]);
    const decoding = codecWith(k2).decode([sealed as Payload]);
    await expect(decoding).rejects.toThrow(PayloadDecryptionError);
    await expect(decoding).rejects.toThrow(/key "k1", which is not configured/);
  });

  it('fails on a payload whose ciphertext was altered', async () => {
    const codec = codecWith(k1);
    const [sealed] = await codec.encode([converter.toPayload(ADDRESS)]);
    const data = Buffer.from(sealed?.data ?? []);
    data[20] = (data[20] ?? 0) ^ 0x01;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(/fails authentication/);
    await expect(codec.decode([{ ...sealed, data: data.subarray(0, 10) }])).rejects.toThrow(/truncated/);
  });

  it('fails when a different key hides behind a known key id', async () => {
    const [sealed] = await codecWith(k1).encode([converter.toPayload(ADDRESS)]);
    await expect(codecWith(generatePayloadKey('k1')).decode([sealed as Payload])).rejects.toThrow(
      /fails authentication/,
    );
  });

  it('passes through payloads that were never encrypted (histories from before the codec)', async () => {
    const plain = [converter.toPayload(ADDRESS), converter.toPayload(undefined), converter.toPayload(42)];
    expect(await codecWith(k1).decode(plain)).toEqual(plain);
  });
});

describe('failures', () => {
  const message = 'order order-1: ship: the carrier cannot deliver to postal code 00000 (London)';
  /** What an activity's undeliverable refusal becomes on its way to the history. */
  const refusal = () =>
    new ActivityFailure(
      'Activity task failed',
      'createShipment',
      '7',
      RetryState.NON_RETRYABLE_FAILURE,
      'worker-1',
      ApplicationFailure.nonRetryable(message, 'UNDELIVERABLE'),
    );

  it('with a key, have their message and stack trace sealed down the cause chain, the type readable', async () => {
    // Loaded by path, as the worker and the clients load it (require(), outside vite's TypeScript loader).
    const loaded = loadDataConverter(encryptingDataConverter(parsePayloadKeys(generatePayloadKey('k1'), '')));
    const failure = await encodeErrorToFailure(loaded, refusal());
    const cause = failure.cause;
    for (const sealed of [failure, cause]) {
      expect(sealed?.message).toBe('Encoded failure');
      expect(sealed?.stackTrace).toBe('');
      expect(text(sealed?.encodedAttributes?.metadata?.[METADATA_ENCODING_KEY])).toBe('binary/encrypted');
    }
    expect(cause?.applicationFailureInfo).toMatchObject({ type: 'UNDELIVERABLE', nonRetryable: true });
    expect(JSON.stringify(failure)).not.toMatch(/00000|London/);

    const error = loaded.failureConverter.failureToError(
      await decodeFailure(loaded.payloadCodecs, failure),
      loaded.payloadConverter,
    );
    expect(error).toBeInstanceOf(ActivityFailure);
    expect(error.cause).toBeInstanceOf(ApplicationFailure);
    expect(error.cause).toMatchObject({ type: 'UNDELIVERABLE', message });
  });

  it('without a key, stay as Temporal writes them: no codec would seal them', async () => {
    const loaded = loadDataConverter(encryptingDataConverter(undefined));
    const failure = await encodeErrorToFailure(loaded, refusal());
    expect(failure.cause).toMatchObject({ message, encodedAttributes: undefined });
  });
});

describe('the payload key settings', () => {
  const key = generatePayloadKey('2025-06');
  const material = key.slice(key.indexOf(':') + 1);

  it('reads PAYLOAD_KEY and PAYLOAD_OLD_KEYS once, and without them encrypts nothing', () => {
    const older = generatePayloadKey('2025-01');
    const config = readConfig({ PAYLOAD_KEY: key, PAYLOAD_OLD_KEYS: ` ${older} ,` });
    expect(config.payloadKeys?.current.id).toBe('2025-06');
    expect(config.payloadKeys?.older.map(({ id }) => id)).toEqual(['2025-01']);
    expect(readConfig({}).payloadKeys).toBeUndefined();
  });

  it.each([
    ['no key id', material],
    ['a key of 16 bytes', `k:${Buffer.alloc(16, 7).toString('base64')}`],
    ['a key that is not base64', `k:${material.slice(0, 20)}!!${material.slice(22)}`],
    ['a key id with a space', `my key:${material}`],
  ])('refuses %s with an error that names the setting and never shows the key', (_case, value) => {
    let message = '';
    try {
      readConfig({ PAYLOAD_KEY: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^PAYLOAD_KEY/);
    expect(message).not.toContain(material.slice(0, 12));
  });

  it('refuses a key id named twice, and older keys without a current one', () => {
    expect(() => readConfig({ PAYLOAD_KEY: key, PAYLOAD_OLD_KEYS: generatePayloadKey('2025-06') })).toThrow(
      /key id "2025-06" twice/,
    );
    expect(() => readConfig({ PAYLOAD_OLD_KEYS: key })).toThrow(/PAYLOAD_KEY is not/);
  });

  it('keeps the key bytes out of anything that prints the settings', () => {
    const config = readConfig({ PAYLOAD_KEY: key });
    expect(JSON.stringify(config)).not.toContain(material);
    expect(inspect(config, { depth: 10 })).not.toContain(material);
  });
});
