/**
 * Imported first by the API's entry points: libraries read NODE_ENV as they load, and graphql-js outside
 * production checks every failed `instanceof` for a second copy of itself (5% of the CPU of a page of orders).
 * An explicit NODE_ENV is left as it is.
 */
process.env.NODE_ENV ??= 'production';
