// Opens /docs/ in headless Chromium and runs "Try it out" with the default
// examples: on the ARR operation, the response shows the Sandersville
// site's $400,000,000 ARR; on the price profile with the `image/svg+xml`
// media type chosen, the response shows the chart as a picture.
//
//   INFRAVAL_URL=http://127.0.0.1:8080 node docs_try_it_out.mjs
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.INFRAVAL_URL ?? 'http://127.0.0.1:8080';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // This machine's network is closed: without these flags Chromium keeps
  // trying to reach Google's services.
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
// Each check opens the docs afresh and runs one operation's Try it out.
const checks = {
  async 'the ARR answer shows as JSON'(page) {
    const operation = await tryItOut(page, '#operations-colocation-colocation_arr');
    await execute(operation);
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .textContent();
    const arr = JSON.parse(body).arr;
    assert.equal(arr, 400000000, `ARR shown in Swagger UI: ${arr}`);
    return `POST /v1/colocation/arr showed arr = ${arr}`;
  },
  async 'the profile chart shows as a picture'(page) {
    const operation = await tryItOut(page, '#operations-convertibles-convertible_profile');
    // The 200 answer's media type, which sets the request's Accept.
    await operation.locator('select[aria-label="Media Type"]').first().selectOption('image/svg+xml');
    await execute(operation);
    const chart = operation.locator('.live-responses-table img.chart-answer');
    await chart.waitFor();
    const width = await chart.evaluate((img) => img.decode().then(() => img.naturalWidth));
    assert.equal(width, 960, `the chart's width in Swagger UI: ${width}`);
    return `POST /v1/convertibles/profile showed a ${width}-pixel-wide chart`;
  },
};

async function tryItOut(page, id) {
  await page.goto(`${base}/docs/`);
  const operation = page.locator(id);
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  return operation;
}

async function execute(operation) {
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), '200');
}

let passed = 0;
let failed = 0;
try {
  for (const [name, check] of Object.entries(checks)) {
    const page = await browser.newPage();
    page.setDefaultTimeout(15000);
    try {
      console.log(`browser: ${name}: ${await check(page)}`);
      passed += 1;
    } catch (err) {
      failed += 1;
      console.error(`browser: ${name}: failed`, err);
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
