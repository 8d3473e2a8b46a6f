/** The Temporal runtime's logger for this project's processes. */
import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import { redactedMeta, redactSecrets } from '../common/redact';

/** An activity-only worker (a role other than `orders`) is intended here, so the SDK's warning about it is noise. */
const EXPECTED = 'No workflows registered, not polling for workflow tasks';

export function runtimeLogger(level: LogLevel): DefaultLogger {
  const printer = new DefaultLogger(level);
  return new DefaultLogger(level, (entry) => {
    // An activity's error may quote a URL with its password (a driver's, a provider's): never print it.
    if (entry.message !== EXPECTED)
      printer.log(entry.level, redactSecrets(entry.message), redactedMeta(entry.meta));
  });
}
