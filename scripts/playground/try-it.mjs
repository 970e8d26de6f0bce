// Chats with the local bot through the Agents Playground in headless Chromium, the way a
// new user would, and saves a screenshot. Start `bash scripts/run-local.sh --playground`
// first, then:  node scripts/playground/try-it.mjs "help" [screenshot.png]
// Needs Debian's chromium (apt-get install chromium); playwright-core drives it.
import { chromium } from "playwright-core";

const text = process.argv[2] ?? "help";
const screenshot = process.argv[3] ?? "build/playground.png";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // No background networking: this machine has no internet, and the playground needs none.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto("http://localhost:56150", { waitUntil: "networkidle" });
  const box = page.locator('[data-lexical-editor="true"][role="textbox"]');
  await box.waitFor();
  await page.waitForTimeout(1500); // the greeting arrives first
  const replies = page.getByText("Test Bot", { exact: true });
  const before = await replies.count();
  await box.click();
  await box.type(text);
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("*")].filter((e) => e.childElementCount === 0 && e.textContent === "Test Bot").length > n,
    before, { timeout: 15000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: screenshot });
  const body = await page.locator("body").innerText();
  console.log(body.slice(body.lastIndexOf("Test Bot"), body.indexOf("Log Panel")));
  console.log(`screenshot: ${screenshot}`);
} finally {
  await browser.close();
}
