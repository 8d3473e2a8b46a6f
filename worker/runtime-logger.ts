/** The Temporal runtime's logger for this project's processes. */
import { DefaultLogger, type LogLevel } from '@temporalio/worker';

/** An activity-only worker (a role other than `orders`) is intended here, so the SDK's warning about it is noise. */
const EXPECTED = 'No workflows registered, not polling for workflow tasks';

export function runtimeLogger(level: LogLevel): DefaultLogger {
  const printer = new DefaultLogger(level);
  return new DefaultLogger(level, (entry) => {
    if (entry.message !== EXPECTED) printer.log(entry.level, entry.message, entry.meta);
  });
}
