/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any CI log reader understands. A file
 * that failed outside its tests (a hook, an import) is counted too: its tests show as skipped, not failed.
 */
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let brokenFiles = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') failedHere += 1;
        else counts.skipped += 1;
      }
      counts.failed += failedHere;
      if (module.state() === 'failed' && failedHere === 0) brokenFiles += 1;
    }
    let line = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
    if (brokenFiles > 0) line += `, ${brokenFiles} file(s) failed outside their tests`;
    if (unhandledErrors.length > 0) line += `, ${unhandledErrors.length} unhandled error(s)`;
    process.stdout.write(`\n${line}\n`);
  }
}
