/**
 * Failure messages and stack traces are not payloads: in clear they would put a customer's postal code and city
 * (the undeliverable-address failure) into Temporal histories. This converter moves them into the failure's
 * encoded attributes, a payload the payload codec (payload-codec.ts) encrypts; the message left in clear reads
 * "Encoded failure". Failure types (the business codes) stay in clear, and every reader (the default converter
 * too) puts the message back once the codec has opened the attributes.
 *
 * Temporal loads it by path (`DataConverter.failureConverterPath`): bundled into the workflow sandbox, and
 * require()d by the worker and the clients outside any TypeScript loader (vitest's included), hence CommonJS.
 */
const { DefaultFailureConverter } = require('@temporalio/common');

/** @type {import('@temporalio/common').FailureConverter} */
exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
