// Ace by DAISY on many books in one Node process, for tests/test_readers.py:
//   NODE_PATH=.readers/node_modules node tests/ace_many.js OUTDIR BOOK...
// writes OUTDIR/<n>/report.json (and report.html) for the n-th book, as
// `ace-cli --silent --force --outdir OUTDIR/<n> BOOK` does: the same Ace core, the same
// options, the same puppeteer axe runner that ace-cli passes it.  Only Node's start and
// Chromium's launch are shared: the runner keeps one browser open for all the books, and
// each check opens its own pages in it, as it does within one book.  Prints one line per
// book, "<n> ok" or "<n> error <message>"; exits 1 when any book failed.
'use strict';

const path = require('path');
const ace = require('@daisy/ace-core');
const axeRunner = require('@daisy/ace-axe-runner-puppeteer');
const logger = require('@daisy/ace-logger');

const [outdir, ...books] = process.argv.slice(2);

// ace-core launches and closes the runner's browser around each book; here it stays open.
const runner = {
  concurrency: axeRunner.concurrency,
  setTimeout: axeRunner.setTimeout,
  run: axeRunner.run,
  launch: async () => {},
  close: async () => {},
};

async function main() {
  logger.initLogger({ verbose: false, silent: true, fileName: 'ace-cli.log' });
  await axeRunner.launch();
  let failed = 0;
  try {
    for (const [n, book] of books.entries()) {
      try {
        await ace(book, { cwd: process.cwd(), outdir: path.join(outdir, String(n)), verbose: false, silent: true,
                          jobId: '' }, runner);
        console.log(`${n} ok`);
      } catch (err) {
        failed += 1;
        console.log(`${n} error ${String(err && err.message ? err.message : err).replace(/\s+/g, ' ')}`);
      }
    }
  } finally {
    await axeRunner.close();
  }
  process.exit(failed ? 1 : 0);
}

main();
