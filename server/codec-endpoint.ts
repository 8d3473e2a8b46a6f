/**
 * The remote codec endpoint the Temporal Web UI (and `temporal workflow show --codec-endpoint`) calls to show
 * encrypted payloads: `POST /codec/decode` and `POST /codec/encode`, each taking and answering the proto-JSON of
 * Temporal's `Payloads` (`{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`). The Web UI calls it from
 * the browser, from its own origin, with `X-Namespace` and `Content-Type: application/json`, so it needs CORS.
 *
 * Who may call it is the caller's `authorize` (dev mode: anyone; elsewhere a staff token). It decodes with the
 * same codecs the API's Temporal client uses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ANONYMOUS, payloadReadAccess } from '../common/access';
import { PayloadDecryptionError } from '../common/payload-codec';
import type { RequestHandler } from './app';
import type { Authenticate } from './authentication';
import { isAllowedOrigin } from './origins';
import { BodyTooLargeError, readBody } from './request-body';

export const CODEC_PATH = '/codec';
/** A history's payloads go one event at a time; generous beside Temporal's own 2 MB per payload. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type Authorize = (request: IncomingMessage) => boolean | Promise<boolean>;

export interface CodecAccess {
  authorize: Authorize;
  /** Origins a browser may call from (the Web UI's); a request from any other origin is refused. */
  origins: readonly string[];
}

/** Outside dev mode until a staff token check is wired in: nobody. */
/** Outside dev mode: staff and admin, by their bearer token; browsers only from the allowed origins. */
export function staffCodecAccess(authenticate: Authenticate, origins: readonly string[]): CodecAccess {
  return {
    authorize: async (request) => {
      const caller = await authenticate(request.headers.authorization).catch(() => ANONYMOUS);
      return payloadReadAccess(caller) === 'ALLOWED';
    },
    origins,
  };
}

/** Dev mode: the Web UI of the dev server `npm run dev` starts, without a token. */
export function devCodecAccess(webUiPort: number): CodecAccess {
  return {
    authorize: () => true,
    origins: [`http://localhost:${webUiPort}`, `http://127.0.0.1:${webUiPort}`],
  };
}

export interface CodecEndpointOptions extends CodecAccess {
  /** Applied in order to encode and in reverse to decode, as the SDK does. */
  codecs: readonly PayloadCodec[];
}

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytesOf(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new HttpError(400, `${where} must be a base64 string`);
  }
  return Buffer.from(value, 'base64');
}

function payloadFromJson(value: unknown, index: number): Payload {
  if (typeof value !== 'object' || value === null)
    throw new HttpError(400, `payloads[${index}] must be an object`);
  const { metadata, data } = value as JsonPayload;
  if (
    metadata !== undefined &&
    metadata !== null &&
    (typeof metadata !== 'object' || Array.isArray(metadata))
  ) {
    throw new HttpError(400, `payloads[${index}].metadata must be an object`);
  }
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, text]) => [
        key,
        bytesOf(text, `payloads[${index}].metadata.${key}`),
      ]),
    ),
    data: data === undefined || data === null ? undefined : bytesOf(data, `payloads[${index}].data`),
  };
}

function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

function payloadsOf(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const payloads = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'the body must be { "payloads": [...] }');
  return payloads.map(payloadFromJson);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

export function codecEndpoint(options: CodecEndpointOptions): RequestHandler {
  const run = async (operation: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> => {
    let result = payloads;
    const codecs = operation === 'encode' ? options.codecs : [...options.codecs].reverse();
    for (const codec of codecs) result = await codec[operation](result);
    return result;
  };

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    operation: 'encode' | 'decode',
  ) => {
    const origin = request.headers.origin;
    if (origin !== undefined && options.origins.includes(origin)) {
      response.setHeader('access-control-allow-origin', origin);
    }
    response.setHeader('vary', 'Origin');
    if (!isAllowedOrigin(origin, request.headers.host, options.origins))
      throw new HttpError(403, `origin ${origin} is not allowed`);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type, x-namespace, authorization',
        'access-control-max-age': '600',
      });
      response.end();
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST, OPTIONS');
      throw new HttpError(405, 'use POST');
    }
    // A browser sends JSON cross-site only after a preflight, which only the listed origins pass.
    if (!request.headers['content-type']?.startsWith('application/json')) {
      throw new HttpError(415, 'the body must be application/json');
    }
    if (!(await options.authorize(request))) {
      if (!request.headers.authorization) {
        response.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'a staff token is needed to read payloads');
      }
      throw new HttpError(403, 'this token may not read payloads');
    }
    const payloads = await run(operation, payloadsOf(await readBody(request, MAX_BODY_BYTES)));
    send(response, 200, { payloads: payloads.map(payloadToJson) });
  };

  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== CODEC_PATH && !path.startsWith(`${CODEC_PATH}/`)) return false;
    const operation =
      path === `${CODEC_PATH}/encode` ? 'encode' : path === `${CODEC_PATH}/decode` ? 'decode' : null;
    if (!operation) {
      send(response, 404, {
        error: `the codec endpoint serves ${CODEC_PATH}/encode and ${CODEC_PATH}/decode`,
      });
      return true;
    }
    handle(request, response, operation).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof HttpError) return send(response, error.status, { error: error.message });
      if (error instanceof BodyTooLargeError) return send(response, 413, { error: error.message });
      // Unknown key id, altered ciphertext: the caller's payload, not our fault; the message holds no secret.
      if (error instanceof PayloadDecryptionError) return send(response, 422, { error: error.message });
      console.error(`codec endpoint ${operation}:`, error);
      send(response, 500, { error: 'internal error' });
    });
    return true;
  };
}
