// Opens /docs/ in headless Chromium, runs "Try it out" on the ARR operation
// with its default example, and checks that the response shows the
// Sandersville site's $400,000,000 ARR.
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
let failed = false;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${base}/docs/`);
  const operation = page.locator('#operations-colocation-colocation_arr');
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), '200');
  const body = await operation
    .locator('.live-responses-table .response-col_description pre')
    .first()
    .textContent();
  const arr = JSON.parse(body).arr;
  assert.equal(arr, 400000000, `ARR shown in Swagger UI: ${arr}`);
  console.log(`browser: Swagger UI's Try it out on POST /v1/colocation/arr showed arr = ${arr}`);
  console.log('1 passed, 0 failed');
} catch (err) {
  failed = true;
  console.error(err);
  console.log('0 passed, 1 failed');
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
