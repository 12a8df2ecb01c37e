// axe-core on many pages, for tests/test_readers.py:
//   NODE_PATH=.readers/node_modules node tests/axe_many.js AXE_SOURCE CHROMIUM CHROMEDRIVER URL...
// prints the results as `axe --stdout` does (a JSON array, one result per URL, in order).  It is
// @axe-core/cli's own run: the same AxeBuilder from @axe-core/webdriverjs, selenium-webdriver and
// chromedriver driving Debian's headless Chromium with the same options, one browser for all the
// pages, each page loaded and then analysed by the given axe-core.  One difference: AxeBuilder's
// legacy mode, axe.run() in the page itself, where the CLI has each frame's axe.runPartial()
// finished by axe.finishRun() in a new blank window, so a window, a renderer process and a second
// copy of axe-core for every page; these pages have no frames, so the two give the same results
// (the test compares them with the CLI's own on a sample of pages of every kind).
'use strict';

const fs = require('fs');
const { Builder } = require('selenium-webdriver');
const chrome = require('selenium-webdriver/chrome');
const AxeBuilder = require('@axe-core/webdriverjs');

const [sourcePath, chromePath, chromedriverPath, ...urls] = process.argv.slice(2);

async function main() {
  const axeSource = fs.readFileSync(sourcePath, 'utf8');
  const options = new chrome.Options();
  for (const arg of ['headless', 'no-sandbox', 'disable-gpu']) options.addArguments(arg);
  options.setChromeBinaryPath(chromePath);
  const driver = await new Builder().forBrowser('chrome').setChromeOptions(options)
    .setChromeService(new chrome.ServiceBuilder(chromedriverPath)).build();
  const results = [];
  try {
    await driver.manage().setTimeouts({ script: 90 * 1000 });  // the CLI's default --timeout
    for (const url of urls) {
      await driver.get(url);
      results.push(await new AxeBuilder(driver, axeSource).setLegacyMode(true).analyze());
    }
  } finally {
    await driver.quit();
  }
  process.stdout.write(JSON.stringify(results, null, 2));
}

main().catch((err) => { console.error(err && err.stack ? err.stack : err); process.exit(2); });
